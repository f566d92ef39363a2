package export

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/smartap/desktop/backend/einvoice"
)

// Every corpus invoice that einvoice reads (UBL, CII, ZUGFeRD 1.0) is
// written as UBL and read back to the same invoice. Files that are no
// invoice (the corpus holds some on purpose) are counted, not failed.
func TestUBLRoundTripCorpus(t *testing.T) {
	files := corpusXML(t)
	counts := map[string]int{}
	var report []string
	for _, rel := range files {
		status, warned := roundTripFile(t, rel)
		if warned {
			counts["warned"]++
		}
		counts[strings.SplitN(status, ":", 2)[0]]++
		report = append(report, fmt.Sprintf("  %-12s %s", status, rel))
	}
	t.Logf("UBL round trip over %d corpus XML files:\n%s", len(files), strings.Join(report, "\n"))
	t.Logf("round-tripped %d (%d of them had reading warnings, which UBL does not carry), "+
		"not readable by einvoice %d, failed %d", counts["ok"], counts["warned"], counts["unreadable"], counts["FAILED"])
	if counts["ok"] == 0 {
		t.Error("no corpus invoice round-tripped")
	}
}

// roundTripFile returns "ok", "unreadable" or "FAILED", and whether the
// source had reading warnings; it reports failures on t.
func roundTripFile(t *testing.T, rel string) (status string, warned bool) {
	src, syntax, err := einvoice.Read(readCorpus(t, rel))
	if err != nil {
		if errors.Is(err, einvoice.ErrNotInvoice) || errors.Is(err, einvoice.ErrUnsupported) {
			return "unreadable", false
		}
		t.Errorf("%s: einvoice.Read: %v", rel, err)
		return "FAILED", false
	}
	out, err := UBL(src)
	if err != nil {
		t.Errorf("%s (%s): UBL: %v", rel, syntax, err)
		return "FAILED", false
	}
	back, err := einvoice.ReadUBL(out)
	if err != nil {
		t.Errorf("%s (%s): ReadUBL of the written UBL: %v\n%s", rel, syntax, err, out)
		return "FAILED", false
	}
	if e := emptyElements(t, out); len(e) > 0 {
		t.Logf("%s: empty elements %v", rel, e)
	}
	if d := diff(content(t, src), content(t, back)); len(d) > 0 {
		t.Errorf("%s (%s): round trip differs:\n  %s", rel, syntax, strings.Join(d, "\n  "))
		return "FAILED", false
	}
	return "ok", len(src.Warnings) > 0
}
