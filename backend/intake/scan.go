package intake

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/smartap/desktop/backend/intake/pdfobj"
)

// Finding is something risky found in a file.
type Finding struct {
	Code     string // CodeActiveContent or CodeScanIncomplete
	Severity string // SeverityCritical or SeverityWarning
	Message  string
}

// Finding codes and severities.
const (
	// CodeActiveContent: the PDF asks a viewer to run code, launch a
	// program, send data or open another file (critical).
	CodeActiveContent = "active_content"
	// CodeScanIncomplete: part of the PDF could not be inspected (an
	// object stream that does not decode, a limit reached, encryption); a
	// caller should treat the file as unverified (warning).
	CodeScanIncomplete = "scan_incomplete"

	SeverityCritical = "critical"
	SeverityWarning  = "warning"
)

// Scan limits. Decompression is capped for the whole file, embedded files
// included, and per stream by ratio (pdfobj.Budget); nesting of embedded
// PDFs is capped too.
const (
	scanBudget    = 20 << 20
	maxEmbedDepth = 3
)

// riskyNames are flagged wherever they occur as a name, key or value, in
// any object: their only use is running code (/JS, /JavaScript), starting
// programs (/Launch), acting on events (/AA), embedding players
// (/RichMedia) or sending and loading form data (/SubmitForm, /ImportData).
// /EmbeddedFile is not here: Factur-X and ZUGFeRD invoices need it.
var riskyNames = []struct {
	name pdfobj.Name
	what string
}{
	{"JS", "JavaScript (/JS)"},
	{"JavaScript", "JavaScript (/JavaScript)"},
	{"Launch", "a launch action (/Launch)"},
	{"AA", "automatic actions (/AA)"},
	{"RichMedia", "rich media (/RichMedia)"},
	{"SubmitForm", "a form submission (/SubmitForm)"},
	{"ImportData", "a data import (/ImportData)"},
}

// ScanPDF flags active content in a PDF without executing anything
// (security checklist #29). Names are compared after decoding #xx escapes
// (/J#61vaScript is /JavaScript); objects are found by scanning, not through
// the cross-reference table, inside compressed object streams and inside
// other compressed streams (an embedded PDF) too. Beside the names above it
// flags /OpenAction with an action other than a plain /GoTo and /GoToR
// actions that name a file. Non-PDF input gives no findings. The result is
// nil when nothing is found.
func ScanPDF(data []byte) []Finding {
	s := &pdfScan{budget: pdfobj.NewBudget(scanBudget), seen: map[string]int{}}
	s.scan(data, 0, "")
	return s.result()
}

type pdfScan struct {
	budget   *pdfobj.Budget
	findings []Finding
	more     []int          // further places per finding
	seen     map[string]int // key → index in findings
}

// add records a finding once per key (a feature in one document); repeats
// only count, so a file with 10,000 annotations gives one line, not 10,000.
func (s *pdfScan) add(key, code, severity, msg string) {
	if i, ok := s.seen[key]; ok {
		s.more[i]++
		return
	}
	s.seen[key] = len(s.findings)
	s.findings = append(s.findings, Finding{Code: code, Severity: severity, Message: msg})
	s.more = append(s.more, 0)
}

func (s *pdfScan) result() []Finding {
	for i, n := range s.more {
		if n > 0 {
			s.findings[i].Message = strings.TrimSuffix(s.findings[i].Message, ".") + fmt.Sprintf(" (and %d more places).", n)
		}
	}
	return s.findings
}

func (s *pdfScan) active(feature, where, msg string) {
	s.add("active "+feature+where, CodeActiveContent, SeverityCritical, msg)
}

func (s *pdfScan) incomplete(what, msg string) {
	s.add("incomplete "+what, CodeScanIncomplete, SeverityWarning, msg)
}

// scan inspects one PDF: the upload, or at depth > 0 a PDF embedded in it,
// which where names (" of the file embedded in object 7").
func (s *pdfScan) scan(data []byte, depth int, where string) {
	f := pdfobj.Scan(data, pdfobj.Options{LookInsideStreams: true, Budget: s.budget})
	for _, p := range f.Problems {
		s.incomplete(problemText(p)+where, "Part of the PDF"+where+" could not be inspected: "+problemText(p)+".")
	}
	for _, e := range f.Objects {
		if e.InObjStm != 0 && e.Region == nil {
			continue // shares its bytes with an object already checked
		}
		s.object(f, e, where)
		if st, ok := e.Obj.(*pdfobj.Stream); ok && depth < maxEmbedDepth {
			s.stream(st, e, depth, where)
		}
	}
}

// object checks one object by its name tokens and by its structure.
func (s *pdfScan) object(f *pdfobj.File, e pdfobj.Entry, where string) {
	loc := location(e) + where
	flat := map[pdfobj.Name]bool{}
	pdfobj.EachName(e.Region, func(n pdfobj.Name) { flat[n] = true })
	for _, r := range riskyNames {
		if flat[r.name] {
			s.active(string(r.name), where, fmt.Sprintf("The PDF contains %s in %s.", r.what, loc))
		}
	}
	w := &walker{f: f}
	w.walk(e.Obj, 0)
	// A key the tolerant parser could not place in a tree is still judged:
	// if the tokens name it but the structure does not show it, flag it.
	if w.openAction || (flat["OpenAction"] && !w.sawOpenAction) {
		s.active("OpenAction", where, fmt.Sprintf("The PDF runs an action when opened (/OpenAction) in %s.", loc))
	}
	if w.goToR || (flat["GoToR"] && !w.sawGoToR) {
		s.active("GoToR", where, fmt.Sprintf("The PDF links to another file (/GoToR) in %s.", loc))
	}
}

// stream looks into a decodable stream that may hold PDF objects (an
// embedded PDF file, or objects hidden in a stream of another type). Object
// streams were already expanded by pdfobj.Scan. Images, fonts, metadata and
// cross-reference data are binary or XML and cannot carry objects a viewer
// would act on, so they are not decoded.
func (s *pdfScan) stream(st *pdfobj.Stream, e pdfobj.Entry, depth int, where string) {
	d := st.Dict
	if d.Name("Type") == "ObjStm" || !mayHoldObjects(d) {
		return
	}
	data, err := st.Decode(s.budget)
	if errors.Is(err, pdfobj.ErrBudget) {
		s.incomplete("large"+where, fmt.Sprintf("A stream%s is too large to inspect: %s.", where, location(e)))
		return
	}
	if len(data) == 0 || bytes.Equal(data, st.Raw) {
		return // undecodable (e.g. DCT) or not encoded: already scanned in place
	}
	if pdfobj.HasObjects(data) {
		s.scan(data, depth+1, fmt.Sprintf(" of the file embedded in %s%s", location(e), where))
	}
}

func mayHoldObjects(d pdfobj.Dict) bool {
	switch d.Name("Type") {
	case "XRef", "Metadata":
		return false
	}
	switch d.Name("Subtype") {
	case "Image", "Type1C", "CIDFontType0C", "OpenType", "XML":
		return false
	}
	for _, k := range []pdfobj.Name{"Length1", "Length2", "Length3"} { // font programs
		if _, ok := d[k]; ok {
			return false
		}
	}
	return d["Filter"] != nil
}

func location(e pdfobj.Entry) string {
	if e.InObjStm != 0 {
		return fmt.Sprintf("object %d (in compressed object stream %d)", e.Num, e.InObjStm)
	}
	return fmt.Sprintf("object %d", e.Num)
}

func problemText(err error) string {
	switch {
	case errors.Is(err, pdfobj.ErrBudget):
		return "it decompresses to more than the inspection limit"
	case errors.Is(err, pdfobj.ErrTooManyObjects):
		return "it has too many objects"
	case errors.Is(err, pdfobj.ErrFilter):
		return "a compressed object stream uses an unsupported filter"
	}
	return "a compressed object stream is damaged or encrypted"
}
