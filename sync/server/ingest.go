package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/smartap/desktop/backend/invoice"
	"github.com/smartap/desktop/sync/authority"
	"github.com/smartap/desktop/sync/merge"
	"github.com/smartap/desktop/sync/opcodec"
	"github.com/smartap/desktop/sync/server/events"
	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/wire"
)

// Rejection codes and rules the server adds to authority's.
const (
	CodeClockSkew   = "clock_skew"
	CodeUnavailable = "unavailable"
	RuleIdentity    = "sync.identity"
	RuleSkew        = "sync.clock_skew"
	RuleDecode      = "sync.decode"
	RuleEntity      = "sync.entity_type"
	RuleAudit       = "sync.audit_entry"
)

// maxAttempts bounds how often one push re-decides after losing the
// append race to another replica.
const maxAttempts = 16

// verdict is what ingest decided for one op of a push.
type verdict struct {
	seq    uint64 // set for acked ops (duplicates and committed)
	dup    bool
	reject *wire.Reject
}

// push ingests a batch (docs/SYNC.md "Push"): each op is a duplicate (acked
// with its sequence), refused (a Reject, not stored) or accepted; the
// accepted ones are appended atomically against the head they were decided
// on, acknowledged after the commit, and then applied in server order.
func (c *conn) push(ctx context.Context, id string, p wire.Push) {
	if code, why := c.recheck(ctx); code != 0 {
		c.closeWith(code, why)
		return
	}
	if !c.ops.take(len(p.Ops)) {
		c.closeWith(CloseRateLimited, "operation rate limit exceeded")
		return
	}
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	verdicts, exs := c.ingest(ctx, p.Ops)
	var ack wire.Ack
	for i, v := range verdicts {
		switch {
		case v.reject != nil:
			c.s.metrics.Op(OpRejected)
			c.s.metrics.Reject(v.reject.Code)
			c.reply(id, *v.reject)
		case v.dup:
			c.s.metrics.Op(OpDuplicate)
			ack.Ops = append(ack.Ops, wire.Acked{Op: p.Ops[i].ID, Seq: v.seq})
		default:
			c.s.metrics.Op(OpAccepted)
			ack.Ops = append(ack.Ops, wire.Acked{Op: p.Ops[i].ID, Seq: v.seq})
			c.observe(ctx, p.Ops[i])
		}
	}
	if len(ack.Ops) > 0 {
		ack.Index = c.team.index
		c.reply(id, ack)
	}
	c.team.announce(exs)
}

// ingest decides and commits under the team lock. It returns one verdict
// per op and the exceptions the new entries created (also those of other
// replicas' entries it caught up with).
func (c *conn) ingest(ctx context.Context, ops []wire.Op) ([]verdict, []wire.Exception) {
	t := c.team
	out := make([]verdict, len(ops))
	p, err := c.principal(ctx)
	if err != nil {
		return unavailable(ops, out, "the server cannot read your account; retry later"), nil
	}
	// What does not depend on the team's state is judged before taking
	// the lock every push of the team waits on.
	pre := c.precheck(ops)
	t.mu.Lock()
	defer t.mu.Unlock()
	exs, err := t.catchUp(ctx, c.s.cfg.Store)
	if err != nil {
		return unavailable(ops, out, "the server cannot read the log; retry later"), exs
	}
	for range maxAttempts {
		accepted := c.decide(p, ops, pre, out)
		if len(accepted) == 0 {
			return out, exs
		}
		batch := make([]wire.Op, len(accepted))
		for i, k := range accepted {
			batch[i] = ops[k]
		}
		res, err := c.s.cfg.Store.AppendAfter(ctx, t.id, t.head, batch)
		if errors.Is(err, serverstore.ErrHeadMoved) {
			c.s.raced.Add(1)
			more, err := t.catchUp(ctx, c.s.cfg.Store)
			exs = append(exs, more...)
			if err != nil {
				break
			}
			continue
		}
		if err != nil {
			break
		}
		for i, k := range accepted {
			out[k].seq = res[i].Seq
		}
		for i, k := range accepted {
			more, err := t.apply(serverstore.Entry{Seq: res[i].Seq, Op: ops[k]})
			if err != nil {
				// Cannot happen while this process holds the lock and the
				// append succeeded after head; if it does, the commit
				// stands and the state is rebuilt from the log.
				t.reset()
				_, _ = t.catchUp(ctx, c.s.cfg.Store)
				break
			}
			exs = append(exs, more...)
		}
		t.publish()
		return out, exs
	}
	return unavailable(ops, out, "the server could not store the operations; retry later"), exs
}

// unavailable rejects every op not yet decided as unavailable (nothing of
// them was stored; the client retries them).
func unavailable(ops []wire.Op, out []verdict, msg string) []verdict {
	for i := range out {
		if out[i].reject == nil && out[i].seq == 0 {
			out[i].reject = &wire.Reject{Op: ops[i].ID, Code: CodeUnavailable, Message: msg}
		}
	}
	return out
}

// prechecked is the part of an op's judgement that needs no team state:
// a refusal, or the decoded invoice op.
type prechecked struct {
	reject *wire.Reject
	op     merge.Op // invoice ops
}

// precheck judges identity, clock skew and decoding for every op, outside
// the team lock. The verdicts are used only for ops that are not
// duplicates (decide): a resent op is acknowledged whatever it holds.
func (c *conn) precheck(ops []wire.Op) []prechecked {
	now := c.s.nowMs()
	pre := make([]prechecked, len(ops))
	for i, op := range ops {
		pre[i].reject = c.checkAlone(op, now, &pre[i].op)
	}
	return pre
}

// decide fills out for every op against the team's state (mu held) and
// returns the indexes of the accepted ones. Accepted invoice ops are
// applied to a scratch copy as it goes, so a later op in the batch is
// judged after the earlier ones, as it will be applied.
func (c *conn) decide(p authority.Principal, ops []wire.Op, pre []prechecked, out []verdict) []int {
	t := c.team
	scratch := map[string]authority.View{}
	var accepted []int
	for i, op := range ops {
		out[i] = verdict{}
		if seq, ok := t.seqOf[op.ID]; ok {
			out[i].seq, out[i].dup = seq, true
			continue
		}
		if pre[i].reject != nil {
			out[i].reject = pre[i].reject
			continue
		}
		if op.Entity.Type == merge.EntityInvoice {
			if r := c.checkInvoice(p, op, pre[i].op, scratch); r != nil {
				out[i].reject = r
				continue
			}
		}
		accepted = append(accepted, i)
	}
	return accepted
}

// refusal builds a Reject for op.
func refusal(op wire.Op, code, rule, format string, a ...any) *wire.Reject {
	return &wire.Reject{Op: op.ID, Code: code, Rule: rule, Message: truncate(fmt.Sprintf(format, a...), wire.MaxText)}
}

// checkAlone judges what needs no team state (nil: nothing against it);
// an invoice op is decoded into mop.
func (c *conn) checkAlone(op wire.Op, now int64, mop *merge.Op) *wire.Reject {
	if op.User != c.user() || op.Device != c.device {
		return refusal(op, authority.CodeForbidden, RuleIdentity,
			"operation %s is signed by user %q on device %q, but this session is %q on %q",
			op.ID, op.User, op.Device, c.user(), c.device)
	}
	if err := merge.CheckSkew(now, opcodec.HLCFromWire(op.Clock)); err != nil {
		return refusal(op, CodeClockSkew, RuleSkew, "%v", err)
	}
	switch op.Entity.Type {
	case merge.EntityInvoice:
		m, err := opcodec.FromWire(op)
		if err != nil {
			return refusal(op, authority.CodeInvalidInput, RuleDecode, "%v", err)
		}
		*mop = m
	case opcodec.EntityAudit:
		if _, err := opcodec.AuditEntry(op); err != nil {
			return refusal(op, authority.CodeInvalidInput, RuleAudit, "%v", err)
		}
	default:
		return refusal(op, authority.CodeInvalidInput, RuleEntity, "entity type %q is not synced (invoice and audit are)", op.Entity.Type)
	}
	return nil
}

// checkInvoice is the authority check of a decoded invoice op against the
// team's state (mu held) and the batch's earlier accepted ops (scratch).
func (c *conn) checkInvoice(p authority.Principal, op wire.Op, mop merge.Op, scratch map[string]authority.View) *wire.Reject {
	v, ok := scratch[op.Entity.ID]
	if !ok {
		v = c.team.view(op.Entity.ID)
	}
	d, next := authority.DecideApply(p, v, mop)
	if !d.Allowed {
		return refusal(op, d.Code, d.Rule, "%s", d.Message)
	}
	scratch[op.Entity.ID] = next
	return nil
}

// observe hands an accepted approval or export to the anomaly detector.
// Its error (recording the event failed) is logged, not sent: the op is
// already committed.
func (c *conn) observe(ctx context.Context, op wire.Op) {
	d := c.s.cfg.Detector
	if d == nil || op.Cmd == nil {
		return
	}
	var kind events.OpKind
	switch invoice.CommandKind(op.Cmd.Name) {
	case invoice.Approve:
		kind = events.Approve
	case invoice.Export:
		kind = events.Export
	default:
		return
	}
	if err := d.Observe(ctx, c.team.id, c.user(), kind, c.s.cfg.Now()); err != nil {
		slog.Error("sync server: security event detector", "err", err)
	}
}
