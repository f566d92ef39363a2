// Command smartap-desktop is the SmartAP desktop app (Wails). Build it with
// `make build`: the tags desktop,production select Wails' production runtime.
package main

import (
	"context"
	"embed"
	"io/fs"
	"log"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/wailsapp/wails/v2"

	"github.com/smartap/desktop/app"
	"github.com/smartap/desktop/backend/extract"
	"github.com/smartap/desktop/backend/logging"
	"github.com/smartap/desktop/backend/paths"
	"github.com/smartap/desktop/backend/pdfdoc"
	"github.com/smartap/desktop/backend/vault"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		log.Fatal(err)
	}
	dataDir := paths.DefaultDataDir(os.Getenv)
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		log.Fatalf("smartap: cannot create the data folder %s: %v", dataDir, err)
	}
	logFile, err := os.OpenFile(filepath.Join(dataDir, "smartap.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600) // #nosec G304 -- the user's own data folder
	if err != nil {
		log.Fatalf("smartap: cannot open the log: %v", err)
	}
	defer logFile.Close()
	a := app.New(app.Config{
		DataDir:  dataDir,
		Keychain: os.Getenv(vault.EnvKeychain),
		Logger:   logging.New(logFile, slog.LevelInfo),
		PDF:      pdfEngine,
	})
	if err := wails.Run(app.Options(a, dist)); err != nil {
		log.Fatalf("smartap: %v", err)
	}
}

// pdfEngine starts PDFium on the first PDF, with its compiled code cached in
// the user's cache folder so later starts take a fraction of a second.
func pdfEngine(ctx context.Context) (extract.PDF, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return pdfdoc.NewEngine(ctx, filepath.Join(dir, "smartap", "wazero"))
}
