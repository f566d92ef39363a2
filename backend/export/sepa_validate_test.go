package export

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/decimal"
)

// The reading side of the structural check: its own types, written from
// the pain.001.001.09 schema, not shared with the writer, so a mistake in
// the writer's tags does not hide itself.
type readPain struct {
	XMLName xml.Name `xml:"Document"`
	GrpHdr  struct {
		MsgID    string `xml:"MsgId"`
		CreDtTm  string `xml:"CreDtTm"`
		NbOfTxs  string `xml:"NbOfTxs"`
		CtrlSum  string `xml:"CtrlSum"`
		InitgPty string `xml:"InitgPty>Nm"`
	} `xml:"CstmrCdtTrfInitn>GrpHdr"`
	PmtInf []readPmtInf `xml:"CstmrCdtTrfInitn>PmtInf"`
}

type readPmtInf struct {
	PmtInfID  string `xml:"PmtInfId"`
	PmtMtd    string `xml:"PmtMtd"`
	BtchBookg string `xml:"BtchBookg"`
	NbOfTxs   string `xml:"NbOfTxs"`
	CtrlSum   string `xml:"CtrlSum"`
	SvcLvl    string `xml:"PmtTpInf>SvcLvl>Cd"`
	Date      string `xml:"ReqdExctnDt>Dt"`
	Dbtr      string `xml:"Dbtr>Nm"`
	DbtrIBAN  string `xml:"DbtrAcct>Id>IBAN"`
	DbtrBIC   string `xml:"DbtrAgt>FinInstnId>BICFI"`
	DbtrOther string `xml:"DbtrAgt>FinInstnId>Othr>Id"`
	ChrgBr    string `xml:"ChrgBr"`
	Txs       []struct {
		EndToEndID string `xml:"PmtId>EndToEndId"`
		Amount     struct {
			Ccy   string `xml:"Ccy,attr"`
			Value string `xml:",chardata"`
		} `xml:"Amt>InstdAmt"`
		BIC   string `xml:"CdtrAgt>FinInstnId>BICFI"`
		Name  string `xml:"Cdtr>Nm"`
		IBAN  string `xml:"CdtrAcct>Id>IBAN"`
		Ustrd string `xml:"RmtInf>Ustrd"`
	} `xml:"CdtTrfTxInf"`
}

var (
	sepaCharset = regexp.MustCompile(`^[A-Za-z0-9/\-?:().,'+ ]*$`)
	sepaID      = regexp.MustCompile(`^[A-Za-z0-9/\-?:().,'+]{1,35}$`)
	twoDecimals = regexp.MustCompile(`^[0-9]+\.[0-9]{2}$`)
	bicShape    = regexp.MustCompile(`^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$`)
)

// validatePain checks the document against the rules a bank applies and
// returns it parsed. Each problem is a test error.
func validatePain(t *testing.T, b []byte) readPain {
	t.Helper()
	var doc readPain
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("not well-formed: %v", err)
	}
	if doc.XMLName.Space != nsPain001 {
		t.Errorf("namespace %q", doc.XMLName.Space)
	}
	if !bytes.HasPrefix(b, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Error("no UTF-8 XML declaration")
	}
	for _, name := range emptyElements(t, b) {
		t.Errorf("empty element <%s>", name)
	}
	g := doc.GrpHdr
	checkID(t, "MsgId", g.MsgID)
	if _, err := time.Parse("2006-01-02T15:04:05", g.CreDtTm); err != nil {
		t.Errorf("CreDtTm %q: %v", g.CreDtTm, err)
	}
	checkName(t, "InitgPty", g.InitgPty)
	if len(doc.PmtInf) != 1 {
		t.Fatalf("%d PmtInf, want 1", len(doc.PmtInf))
	}
	p := doc.PmtInf[0]
	n, sum := validatePmtInf(t, &p)
	if g.NbOfTxs != fmt.Sprint(n) || p.NbOfTxs != fmt.Sprint(n) {
		t.Errorf("NbOfTxs %s / %s, %d transactions", g.NbOfTxs, p.NbOfTxs, n)
	}
	for _, cs := range []string{g.CtrlSum, p.CtrlSum} {
		if !twoDecimals.MatchString(cs) || decimal.MustParse(cs).Cmp(sum) != 0 {
			t.Errorf("CtrlSum %s, sum of InstdAmt %s", cs, sum)
		}
	}
	return doc
}

// validatePmtInf checks the block and its transactions; it returns their
// number and the exact sum of their amounts.
func validatePmtInf(t *testing.T, p *readPmtInf) (int, decimal.Decimal) {
	t.Helper()
	checkID(t, "PmtInfId", p.PmtInfID)
	if p.PmtMtd != "TRF" || p.SvcLvl != "SEPA" || p.ChrgBr != "SLEV" || p.BtchBookg != "true" {
		t.Errorf("PmtMtd %q SvcLvl %q ChrgBr %q BtchBookg %q", p.PmtMtd, p.SvcLvl, p.ChrgBr, p.BtchBookg)
	}
	if _, err := time.Parse("2006-01-02", p.Date); err != nil {
		t.Errorf("ReqdExctnDt %q: %v", p.Date, err)
	}
	checkName(t, "Dbtr", p.Dbtr)
	checkIBAN(t, p.DbtrIBAN)
	if (p.DbtrBIC == "") == (p.DbtrOther == "") || (p.DbtrBIC != "" && !bicShape.MatchString(p.DbtrBIC)) ||
		(p.DbtrOther != "" && p.DbtrOther != "NOTPROVIDED") {
		t.Errorf("DbtrAgt BICFI %q Othr %q", p.DbtrBIC, p.DbtrOther)
	}
	sum := decimal.New(0, 2)
	seen := map[string]bool{}
	for _, tx := range p.Txs {
		checkID(t, "EndToEndId", tx.EndToEndID)
		if seen[tx.EndToEndID] {
			t.Errorf("EndToEndId %s twice", tx.EndToEndID)
		}
		seen[tx.EndToEndID] = true
		a := tx.Amount
		if a.Ccy != "EUR" || !twoDecimals.MatchString(a.Value) || decimal.MustParse(a.Value).Sign() <= 0 {
			t.Errorf("%s: InstdAmt %s %q", tx.EndToEndID, a.Ccy, a.Value)
			continue
		}
		sum = sum.Add(decimal.MustParse(a.Value))
		checkName(t, "Cdtr", tx.Name)
		checkIBAN(t, tx.IBAN)
		if tx.BIC != "" && !bicShape.MatchString(tx.BIC) {
			t.Errorf("%s: BICFI %q", tx.EndToEndID, tx.BIC)
		}
		if len(tx.Ustrd) > 140 || !sepaCharset.MatchString(tx.Ustrd) {
			t.Errorf("%s: Ustrd %q", tx.EndToEndID, tx.Ustrd)
		}
	}
	return len(p.Txs), sum
}

func checkID(t *testing.T, what, s string) {
	t.Helper()
	if !sepaID.MatchString(s) || strings.HasPrefix(s, "/") || strings.HasSuffix(s, "/") || strings.Contains(s, "//") {
		t.Errorf("%s %q is not a SEPA identifier (1-35 characters)", what, s)
	}
}

func checkName(t *testing.T, what, s string) {
	t.Helper()
	if s == "" || len(s) > 70 || !sepaCharset.MatchString(s) || strings.TrimSpace(s) != s {
		t.Errorf("%s name %q: empty, longer than 70 or outside the SEPA character set", what, s)
	}
}

// checkIBAN is an independent ISO 13616 check: shape and mod-97 = 1.
func checkIBAN(t *testing.T, iban string) {
	t.Helper()
	if !regexp.MustCompile(`^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$`).MatchString(iban) {
		t.Errorf("IBAN %q: bad shape", iban)
		return
	}
	r := 0
	for _, c := range iban[4:] + iban[:4] {
		if c >= 'A' {
			r = (r*100 + int(c-'A'+10)) % 97
		} else {
			r = (r*10 + int(c-'0')) % 97
		}
	}
	if r != 1 {
		t.Errorf("IBAN %q fails mod-97", iban)
	}
}
