package pdfdoc

import (
	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
)

// Attachment is a file embedded in a PDF.
type Attachment struct {
	Name string
	// Relationship is the /AFRelationship of the file specification
	// without the slash ("Data", "Source", "Alternative", "Unspecified"),
	// "" when absent.
	Relationship string
	Data         []byte
}

// Attachments returns every embedded file: those of the name tree
// (/Names /EmbeddedFiles) as PDFium reads them, then those listed only in
// the catalog's /AF array (PDF 2.0, PDF/A-3/4 associated files), which
// PDFium's attachment API does not see; see afAttachments. Files are in
// document order; choose among them by name (InvoiceXML), not position.
// Errors: ErrBroken, ErrEncrypted (a password is needed), ErrClosed.
func (e *Engine) Attachments(pdf []byte) ([]Attachment, error) {
	var atts []Attachment
	var enc bool
	err := e.withDoc(pdf, func(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT) error {
		var err error
		atts, err = nameTreeAttachments(inst, doc)
		enc = encryptedDoc(inst, doc)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !enc {
		atts = append(atts, afAttachments(pdf, atts)...)
	}
	return atts, nil
}

// nameTreeAttachments reads the attachments PDFium lists. An entry whose
// data PDFium cannot give (a file specification without an embedded
// stream) is left out; a failure of PDFium itself ends the call.
func nameTreeAttachments(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT) ([]Attachment, error) {
	count, err := inst.FPDFDoc_GetAttachmentCount(&requests.FPDFDoc_GetAttachmentCount{Document: doc})
	if err != nil {
		return nil, crashed("attachment count", err)
	}
	var atts []Attachment
	for i := range count.AttachmentCount {
		a, err := oneAttachment(inst, doc, i)
		if err != nil {
			if pdfiumFailed(err) {
				return nil, crashed("attachment", err)
			}
			continue
		}
		atts = append(atts, a)
	}
	return atts, nil
}

func oneAttachment(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, i int) (Attachment, error) {
	h, err := inst.FPDFDoc_GetAttachment(&requests.FPDFDoc_GetAttachment{Document: doc, Index: i})
	if err != nil {
		return Attachment{}, err
	}
	name, err := inst.FPDFAttachment_GetName(&requests.FPDFAttachment_GetName{Attachment: h.Attachment})
	if err != nil {
		return Attachment{}, err
	}
	file, err := inst.FPDFAttachment_GetFile(&requests.FPDFAttachment_GetFile{Attachment: h.Attachment})
	if err != nil {
		return Attachment{}, err
	}
	a := Attachment{Name: name.Name, Data: file.Contents}
	if rel, err := inst.FPDFAttachment_GetAFRelationship(&requests.FPDFAttachment_GetAFRelationship{Attachment: h.Attachment}); err == nil {
		a.Relationship = rel.Value
	}
	return a, nil
}
