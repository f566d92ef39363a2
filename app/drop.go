package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/smartap/desktop/backend/apperr"
)

// EventImportDropped is emitted when files dropped on the window have been
// handled; payload DropResult.
const EventImportDropped = "import:dropped"

// droppable are the file kinds the import reads, by extension.
var droppable = map[string]bool{".pdf": true, ".xml": true, ".png": true, ".jpg": true, ".jpeg": true, ".tif": true, ".tiff": true}

// confirmDrop asks the user, in a native dialog, whether to import the
// dropped files. Tests replace it.
var confirmDrop = nativeConfirmDrop

// onFileDrop receives the paths of files dropped on the window (Wails'
// OnFileDrop; options.DragAndDrop.EnableFileDrop). Wails carries a drop to
// Go on the same message channel the webview's scripts use, so a script
// could forge one naming any file: the paths are not trusted alone. Only
// invoice file kinds are considered, and nothing is opened until the user
// confirms the file names in a native dialog, which no script can answer.
func (a *App) onFileDrop(paths []string) {
	go func() { a.emitEvent(EventImportDropped, a.importDropped(paths)) }()
}

func (a *App) importDropped(paths []string) DropResult {
	out := DropResult{Results: []ImportResult{}}
	fail := func(err error) DropResult {
		e := PublicError(err)
		out.Error = &e
		return out
	}
	if _, _, err := a.sessionFor(); err != nil {
		return fail(err)
	}
	keep := make([]string, 0, len(paths))
	for _, p := range paths {
		if p != "" && droppable[strings.ToLower(filepath.Ext(p))] {
			keep = append(keep, p)
		}
	}
	if len(keep) == 0 {
		return fail(apperr.New(apperr.InvalidInput, "only PDF, XML, PNG, JPEG and TIFF files can be imported"))
	}
	if len(keep) > MaxImportFiles {
		return fail(apperr.New(apperr.InvalidInput, "drop at most %d files at a time", MaxImportFiles))
	}
	names := make([]string, len(keep))
	for i, p := range keep {
		names[i] = filepath.Base(p)
	}
	a.mu.Lock()
	ctx := a.rtx
	a.mu.Unlock()
	ok, err := confirmDrop(ctx, names)
	if err != nil {
		return fail(err)
	}
	if !ok {
		return out // cancelled: nothing imported, nothing to report
	}
	res, err := a.importFiles(keep)
	out.Results = res
	if err != nil {
		return fail(err)
	}
	return out
}

func nativeConfirmDrop(ctx context.Context, names []string) (bool, error) {
	if ctx == nil {
		return false, apperr.New(apperr.Unavailable, "dropped files cannot be confirmed: the window is not ready")
	}
	list := names
	more := ""
	if len(list) > 12 {
		list, more = list[:12], fmt.Sprintf("\n…and %d more", len(names)-12)
	}
	answer, err := runtime.MessageDialog(ctx, runtime.MessageDialogOptions{
		Type:          runtime.QuestionDialog,
		Title:         "Import dropped files?",
		Message:       fmt.Sprintf("Import %d %s?\n\n%s%s", len(names), plural(len(names)), strings.Join(list, "\n"), more),
		Buttons:       []string{"Import", "Cancel"},
		DefaultButton: "Import",
		CancelButton:  "Cancel",
	})
	if err != nil {
		return false, apperr.Wrap(err, apperr.Unavailable, "the confirmation dialog could not be opened")
	}
	// Linux and macOS answer a question with Yes/No whatever the buttons say.
	return answer == "Import" || answer == "Yes" || answer == "Ok" || answer == "OK", nil
}

func plural(n int) string {
	if n == 1 {
		return "file"
	}
	return "files"
}
