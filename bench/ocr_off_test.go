//go:build !ocr

package bench

import "testing"

// BenchmarkExtractOCR needs the "ocr" build tag (backend/ocr with
// Tesseract); without it there is nothing to measure, and it says so.
func BenchmarkExtractOCR(b *testing.B) {
	save(b, Result{Name: "ExtractOCR", NotMeasured: "OCR not built (this test binary was built without -tags ocr)"})
	b.Skip("OCR not built: build with -tags ocr")
}
