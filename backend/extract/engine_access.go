package extract

import "context"

// PDFEngine returns the extractor's PDF engine, starting it on first use,
// so that showing a page (core's RenderPage) shares the one PDFium
// instance reading uses instead of starting a second one.
func (x *Extractor) PDFEngine(ctx context.Context) (PDF, error) { return x.engine(ctx) }
