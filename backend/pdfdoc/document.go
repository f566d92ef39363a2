package pdfdoc

import (
	"errors"
	"strings"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/tetratelabs/wazero/sys"
)

// withDoc opens pdf in PDFium, runs fn on it and closes it again, all as
// one serialised call. PDFium copies the bytes into its own memory.
func (e *Engine) withDoc(pdf []byte, fn func(pdfium.Pdfium, references.FPDF_DOCUMENT) error) error {
	if len(pdf) == 0 {
		return broken(nil, "The PDF is empty (0 bytes).")
	}
	return e.run(func(inst pdfium.Pdfium) error {
		doc, err := inst.OpenDocument(&requests.OpenDocument{File: &pdf})
		if err != nil {
			return openError(err)
		}
		defer func() {
			_, _ = inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
		}()
		return fn(inst, doc.Document)
	})
}

// pdfiumFailed tells a failure of PDFium itself (a WebAssembly trap or
// exit, a panic caught by go-pdfium) from an ordinary "not found" answer.
// go-pdfium passes these on as plain errors, so the text is all there is.
func pdfiumFailed(err error) bool {
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "wasm error") || strings.Contains(msg, "panic occurred") ||
		strings.Contains(msg, "instance is closed")
}

// encryptedDoc reports whether the open document uses a security handler;
// PDFium decrypts it, the pure-Go /AF reader could not.
func encryptedDoc(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT) bool {
	rev, err := inst.FPDF_GetSecurityHandlerRevision(&requests.FPDF_GetSecurityHandlerRevision{Document: doc})
	return err != nil || rev.SecurityHandlerRevision != -1
}
