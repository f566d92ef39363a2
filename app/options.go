package app

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/smartap/desktop/backend/apperr"
)

// CSP is the Content-Security-Policy of every page the app serves
// (security checklist #35). index.html carries the same policy in a meta tag.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Options are the production window options, hardened: bindings answer
// only the app's own origin, no devtools or default context menu, strict
// CSP on every asset. Files dropped on the window go to Go (paths only,
// imported after a native confirmation, see drop.go); the webview itself
// never handles a drop, so a drop cannot navigate it.
func Options(a *App, assets fs.FS) *options.App {
	return &options.App{
		Title:     "SmartAP",
		Width:     1280,
		Height:    820,
		MinWidth:  1024,
		MinHeight: 700,
		AssetServer: &assetserver.Options{
			Assets:     assets,
			Middleware: SecurityHeaders,
		},
		BackgroundColour: options.NewRGB(246, 247, 249),
		OnStartup: func(ctx context.Context) {
			a.start(ctx, func(name string, data any) { runtime.EventsEmit(ctx, name, data) })
			runtime.OnFileDrop(ctx, func(_, _ int, paths []string) { a.onFileDrop(paths) })
		},
		OnShutdown:                       func(context.Context) { a.stop() },
		Bind:                             []any{a},
		ErrorFormatter:                   FormatError,
		BindingsAllowedOrigins:           "", // only the app's own start URL may call Go
		EnableDefaultContextMenu:         false,
		EnableFraudulentWebsiteDetection: false,
		DragAndDrop:                      &options.DragAndDrop{EnableFileDrop: true, DisableWebViewDrop: true},
		Debug:                            options.Debug{OpenInspectorOnStartup: false},
		Linux: &linux.Options{
			ProgramName:      "smartap",
			WebviewGpuPolicy: linux.WebviewGpuPolicyNever,
		},
	}
}

// SecurityHeaders adds the CSP and related headers to every asset response.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// FormatError turns a bound method's error into what JavaScript sees: a
// stable code and a message, never driver or file-system text (#34). The
// Wails runtime rejects with new Error(x), which would turn an object into
// "[object Object]", so the error travels as its JSON text.
func FormatError(err error) any {
	b, _ := json.Marshal(PublicError(err))
	return string(b)
}

// PublicError is the error a bound method's caller may see.
func PublicError(err error) Error {
	code, msg, retry := apperr.Public(err)
	return Error{Code: string(code), Message: msg, RetryAfter: int((retry + time.Second - 1) / time.Second)}
}
