package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/bankid"
	"github.com/smartap/desktop/backend/decimal"
	"github.com/smartap/desktop/backend/invoice"
)

// Debtor is our side of the payment: the company paying the invoices.
type Debtor struct {
	Name          string       // account holder, Dbtr/Nm
	IBAN          string       // account debited
	BIC           string       // optional: "NOTPROVIDED" is written without it (IBAN-only)
	ExecutionDate invoice.Date // requested execution date, not before today
	// MessageID is GrpHdr/MsgId, which the bank uses to refuse a file sent
	// twice; at most 35 SEPA characters. Empty: derived from now and the
	// invoices, so the same export gives the same id.
	MessageID string
	// InitiatingParty is GrpHdr/InitgPty/Nm; empty: Name.
	InitiatingParty string
}

// SEPAError is an invoice the SEPA export refused to pay, and why.
type SEPAError struct {
	InvoiceID string
	Reason    string
}

func (e SEPAError) Error() string { return "invoice " + e.InvoiceID + ": " + e.Reason }

// SEPA writes a pain.001.001.09 credit transfer initiation paying every
// payable invoice of items, in input order, and returns the ids it
// included and those it refused with the reason. now is the creation time
// (CreDtTm, written in now's own location without offset, as the EPC
// examples do) and decides "today" for the execution date check.
//
// An invoice is refused when it is not approved, is a credit note, is not
// in EUR, has no positive payable amount in whole cents, has no vendor,
// the vendor master has no valid IBAN in a SEPA country (or no BIC where
// SEPA needs one), or its id is listed twice or cannot be an EndToEndId.
// The amount is the invoice's payable amount (BT-115); IBAN, BIC and name
// come from the vendor master only.
//
// Errors, with code invalid_input and nothing written: an invalid Debtor,
// or no payable invoice at all (refused is still returned, to show why).
// Otherwise the only errors are those of w.
func SEPA(w io.Writer, d Debtor, items []Item, now time.Time) (included []string, refused []SEPAError, err error) {
	debtor, err := checkDebtor(d, now)
	if err != nil {
		return nil, nil, err
	}
	txs, included, refused := sepaTransactions(items)
	if len(txs) == 0 {
		return nil, refused, apperr.New(apperr.InvalidInput,
			"no invoice can be paid by SEPA (%d refused)", len(refused))
	}
	if debtor.MessageID == "" {
		debtor.MessageID = messageID(now, included)
	}
	b, err := sepaXML(&debtor, txs, now)
	if err != nil {
		return nil, nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, nil, fmt.Errorf("export: sepa: %w", err)
	}
	return included, refused, nil
}

// sepaTransactions checks every item and keeps the payable ones. An id
// seen before is refused: paying the same invoice twice in one file is
// the costliest mistake this file can make.
func sepaTransactions(items []Item) ([]sepaTx, []string, []SEPAError) {
	var (
		txs      []sepaTx
		included []string
		refused  []SEPAError
	)
	seenID, seenE2E := map[string]bool{}, map[string]string{}
	for i := range items {
		it := &items[i]
		tx, reason := payable(it)
		switch {
		case seenID[it.ID]:
			reason = "the invoice is listed twice in this export"
		case reason == "" && seenE2E[tx.endToEnd] != "":
			reason = fmt.Sprintf("its EndToEndId %s is the same as invoice %s's", tx.endToEnd, seenE2E[tx.endToEnd])
		}
		seenID[it.ID] = true
		if reason != "" {
			refused = append(refused, SEPAError{InvoiceID: it.ID, Reason: reason})
			continue
		}
		seenE2E[tx.endToEnd] = it.ID
		txs = append(txs, tx)
		included = append(included, it.ID)
	}
	return txs, included, refused
}

// checkDebtor validates and normalizes our own account data. Unlike an
// invoice, a bad debtor spoils the whole file, so it is an error.
func checkDebtor(d Debtor, now time.Time) (Debtor, error) {
	bad := func(format string, args ...any) (Debtor, error) {
		return Debtor{}, apperr.New(apperr.InvalidInput, "SEPA debtor: "+format, args...)
	}
	out := Debtor{ExecutionDate: d.ExecutionDate, MessageID: strings.TrimSpace(d.MessageID)}
	if out.Name = sepaText(d.Name, maxSEPAName); out.Name == "" {
		return bad("a name in SEPA characters is required")
	}
	if out.InitiatingParty = sepaText(d.InitiatingParty, maxSEPAName); out.InitiatingParty == "" {
		out.InitiatingParty = out.Name
	}
	var err error
	if out.IBAN, err = bankid.NormalizeIBAN(d.IBAN); err != nil {
		return bad("%v", err)
	}
	if c := out.IBAN[:2]; !sepaEEA[c] && !sepaNonEEA[c] {
		return bad("an account in %s cannot send SEPA payments", c)
	}
	if strings.TrimSpace(d.BIC) != "" {
		if out.BIC, err = bankid.NormalizeBIC(d.BIC); err != nil {
			return bad("%v", err)
		}
	}
	switch {
	case out.ExecutionDate.IsZero():
		return bad("an execution date is required")
	case out.ExecutionDate.Before(invoice.DateOf(now)):
		return bad("the execution date %s is in the past", out.ExecutionDate)
	case out.MessageID != "" && !validSEPAID(out.MessageID):
		return bad("the message id must be 1 to %d SEPA characters without spaces", maxSEPAID)
	}
	return out, nil
}

// messageID is "SMARTAP-<time>-<hash of the invoice ids>": unique per
// export, yet the same for the same export, which keeps output
// deterministic and lets the bank spot a file sent twice.
func messageID(now time.Time, ids []string) string {
	h := sha256.New()
	for _, id := range ids {
		h.Write([]byte(id))
		h.Write([]byte{0})
	}
	return "SMARTAP-" + now.Format("20060102-150405") + "-" + hex.EncodeToString(h.Sum(nil))[:8]
}

// sepaXML builds the document. CtrlSum is the exact sum of the amounts.
func sepaXML(d *Debtor, txs []sepaTx, now time.Time) ([]byte, error) {
	sum := decimal.New(0, 2)
	out := make([]painCdtTx, 0, len(txs))
	for _, tx := range txs {
		sum = sum.Add(tx.amount)
		out = append(out, painTx(tx))
	}
	doc := painDocument{Initn: painInitn{
		GrpHdr: painGroupHeader{
			MsgID: d.MessageID, CreDtTm: now.Format("2006-01-02T15:04:05"),
			NbOfTxs: len(txs), CtrlSum: sum.String(), InitgPty: painParty{Name: d.InitiatingParty},
		},
		PmtInf: painPmtInf{
			PmtInfID: d.MessageID, PmtMtd: "TRF", BtchBookg: true, NbOfTxs: len(txs), CtrlSum: sum.String(),
			ServiceCode: "SEPA", ReqdExctnDt: d.ExecutionDate.String(),
			Dbtr: painParty{Name: d.Name}, DbtrIBAN: d.IBAN, DbtrAgt: agent(d.BIC),
			ChrgBr: "SLEV", Txs: out,
		},
	}}
	body, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil { // only for unsupported types, which painDocument has none of
		return nil, apperr.Wrap(err, apperr.Internal, "the SEPA file could not be written")
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.Write(body)
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func painTx(tx sepaTx) painCdtTx {
	p := painCdtTx{
		EndToEndID: tx.endToEnd,
		Amount:     painAmount{Currency: "EUR", Value: tx.amount.String()},
		Cdtr:       painParty{Name: tx.name},
		CdtrIBAN:   tx.iban,
	}
	if tx.bic != "" {
		a := agent(tx.bic)
		p.CdtrAgt = &a
	}
	if tx.remittance != "" {
		p.RmtInf = &painRmtInf{Ustrd: tx.remittance}
	}
	return p
}

// agent names a bank by BIC, or "NOTPROVIDED" under the IBAN-only rule.
func agent(bic string) painAgent {
	if bic == "" {
		return painAgent{Other: &painOther{ID: "NOTPROVIDED"}}
	}
	return painAgent{BICFI: bic}
}
