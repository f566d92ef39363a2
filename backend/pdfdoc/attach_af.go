package pdfdoc

import (
	"strings"

	"github.com/smartap/desktop/backend/intake/pdfobj"
)

// afBudget caps what decompressing /AF files may produce per document.
const afBudget = 256 << 20

// afAttachments finds files listed in the catalog's /AF array but not in
// the name tree, which is all PDFium's attachment API reads (it has no
// general object access either). PDF 2.0 / PDF/A-4 files may list their
// invoice only there, and a writer that breaks /Names (the corpus has one:
// mustangproject corruptedV2PDF.pdf) leaves /AF as the only way in.
//
// It uses the intake package's small, bounded object reader, which finds
// objects by scanning like a repairing reader (later definitions win) and
// reads Flate, ASCIIHex, ASCII85 and RunLength data. Encrypted files are
// not passed here: their streams need PDFium's decryption. A file whose
// name the name tree already gave is the same file and is skipped; a
// stream that does not decode cleanly is skipped rather than returned
// truncated.
func afAttachments(pdf []byte, have []Attachment) []Attachment {
	f := pdfobj.Scan(pdf, pdfobj.Options{Budget: pdfobj.NewBudget(afBudget)})
	cat, ok := f.Catalog()
	if !ok {
		return nil
	}
	list, _ := f.Resolve(cat["AF"]).(pdfobj.Array)
	names := map[string]bool{}
	for _, a := range have {
		names[strings.ToLower(a.Name)] = true
	}
	seen := map[int64]bool{}
	var out []Attachment
	for _, o := range list {
		if r, ok := o.(pdfobj.Ref); ok {
			if seen[r.Num] {
				continue
			}
			seen[r.Num] = true
		}
		a, ok := afFile(f, o)
		if !ok || names[strings.ToLower(a.Name)] {
			continue
		}
		names[strings.ToLower(a.Name)] = true
		out = append(out, a)
	}
	return out
}

// afFile reads one file specification of /AF.
func afFile(f *pdfobj.File, o pdfobj.Object) (Attachment, bool) {
	fs, ok := f.Dict(o)
	if !ok {
		return Attachment{}, false
	}
	name := textValue(f, fs, "UF")
	if name == "" {
		name = textValue(f, fs, "F")
	}
	ef, ok := f.Dict(fs["EF"])
	if name == "" || !ok {
		return Attachment{}, false
	}
	st, ok := f.Resolve(ef["UF"]).(*pdfobj.Stream)
	if !ok {
		st, ok = f.Resolve(ef["F"]).(*pdfobj.Stream)
	}
	if !ok {
		return Attachment{}, false
	}
	data, err := f.Decode(st)
	if err != nil {
		return Attachment{}, false
	}
	return Attachment{Name: name, Relationship: string(fs.Name("AFRelationship")), Data: data}, true
}

func textValue(f *pdfobj.File, d pdfobj.Dict, key pdfobj.Name) string {
	s, _ := f.Resolve(d[key]).(pdfobj.String)
	return pdfobj.Text(s)
}
