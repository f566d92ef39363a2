package core

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"path/filepath"
	"time"

	"github.com/smartap/desktop/backend/apperr"
	"github.com/smartap/desktop/backend/attach"
	"github.com/smartap/desktop/backend/extract"
	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/backend/intake"
	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/backend/store"
	"github.com/smartap/desktop/backend/vault"
)

// ImportResult is one imported file.
type ImportResult struct {
	ID       string
	Source   extract.Source
	Invoice  invoice.Invoice
	Findings []store.Finding
}

// Import takes a file through intake, reading (and, when enabled, the
// model helper), sealed storage of the original and the invoice record.
// Reading runs outside the transaction; storing is one audited command.
// The same bytes imported twice are refused as a duplicate; nothing is
// stored for a file that cannot be read. The size limit is enforced
// while reading r.
func (s *Session) Import(ctx context.Context, fileName string, r io.Reader) (ImportResult, error) {
	var (
		data   []byte
		kind   intake.Kind
		sha    string
		x      extract.Result
		tokens int
	)
	err := s.outside(ctx, identity.InvoiceImport, func() error {
		var sum [32]byte
		var err error
		if data, kind, sum, err = intake.Read(r, intake.Limits{MaxBytes: s.c.opts.MaxUpload}); err != nil {
			return err
		}
		sha = hex.EncodeToString(sum[:])
		if x, err = s.c.extractor.Extract(ctx, data, kind, extract.ModeAuto); err != nil {
			return err
		}
		tokens = s.assist(ctx, &x)
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	err = s.do(ctx, identity.InvoiceImport, "", func(tx *store.Tx, rec *record) error {
		if id, err := tx.InvoiceIDBySHA256(sha); err != nil {
			return err
		} else if id != "" {
			return &apperr.Error{Code: apperr.Duplicate, Message: "this file was imported already as invoice " + id}
		}
		ref, err := s.storeOriginal(data)
		if err != nil {
			return err
		}
		now := s.c.now()
		src := store.InvoiceSource{Reader: string(x.Source), Kind: string(kind), FileName: intake.SanitizeName(fileName),
			Size: int64(len(data)), SHA256: sha, Attachment: ref.Name, XMLName: x.XMLName, ImportedBy: s.user.Name,
			ImportedAt: now.Format(time.RFC3339), ModelTokens: tokens}
		if err := tx.InsertAttachment(ref.Name, ref.Size, src, now); err != nil {
			return err
		}
		if err := s.countTokens(tx, tokens); err != nil {
			return err
		}
		state, err := invoice.Transition(invoice.NewState(), invoice.Command{Kind: invoice.Extract})
		if err != nil {
			return err
		}
		r := store.InvoiceRecord{ID: newID(), State: state, Invoice: x.Invoice, Source: src,
			Findings: findings(x.Findings), SHA256: sha, CreatedAt: now, UpdatedAt: now}
		if err := s.check(tx, &r); err != nil {
			return err
		}
		if err := tx.InsertInvoice(r); err != nil {
			return err
		}
		res = ImportResult{ID: r.ID, Source: x.Source, Invoice: x.Invoice, Findings: r.Findings}
		rec.Target, rec.After = r.ID, digest(x.Invoice)
		rec.Reason = "imported " + string(kind) + " read as " + string(x.Source)
		return nil
	})
	return res, err
}

// countTokens adds the model helper's token use to the running total.
func (s *Session) countTokens(tx *store.Tx, tokens int) error {
	if tokens == 0 {
		return nil
	}
	st, err := readLLM(tx)
	if err != nil {
		return err
	}
	st.TokensUsed += tokens
	return writeLLM(tx, st)
}

// storeOriginal seals the file into the attachments folder. The store is
// opened per call so its key schedule does not outlive the command.
func (s *Session) storeOriginal(data []byte) (attach.Ref, error) {
	key := vault.Subkey(s.dek, vault.PurposeAttachments)
	defer key.Wipe()
	st, err := attach.Open(filepath.Join(s.c.opts.DataDir, "attachments"), key)
	if err != nil {
		return attach.Ref{}, apperr.Wrap(err, apperr.Unavailable, "cannot open the attachments folder")
	}
	return st.Put(bytes.NewReader(data), int64(len(data)))
}

func findings(fs []extract.Finding) []store.Finding {
	out := make([]store.Finding, 0, len(fs))
	for _, f := range fs {
		out = append(out, store.Finding(f))
	}
	return out
}
