package client

import (
	"context"
	"fmt"

	"github.com/smartap/desktop/sync/checkpoint"
	"github.com/smartap/desktop/sync/wire"
)

// pushAll sends the outbox in batches of at most wire.MaxBatch and waits
// for every op of a batch to be acked or rejected before the next one, so
// the server sees this device's ops in outbox order.
func (s *session) pushAll(ctx context.Context) error {
	done := map[string]bool{}
	for {
		ops, err := s.r.Pending(ctx, wire.MaxBatch)
		if err != nil {
			return fmt.Errorf("read the outbox: %w", err)
		}
		if len(ops) == 0 {
			s.c.refreshCounts(ctx)
			return nil
		}
		for _, op := range ops {
			// An op answered in this round that comes back from the outbox
			// would be pushed forever: the replica did not record the answer.
			if done[op.ID] {
				return fmt.Errorf("outbox still holds op %s after the server answered it", op.ID)
			}
		}
		if err := s.push(ctx, ops, done); err != nil {
			return err
		}
		s.c.refreshCounts(ctx)
	}
}

// push sends one batch and records every answer (Ack or Reject under the
// push's message id) in the replica.
func (s *session) push(ctx context.Context, ops []wire.Op, done map[string]bool) error {
	byOp := make(map[string]wire.Op, len(ops))
	for _, op := range ops {
		byOp[op.ID] = op
	}
	id, err := s.cn.send(wire.Push{Ops: ops})
	if err != nil {
		return err
	}
	answered := 0
	return s.await(ctx, byID(id), func(m wire.Message) (bool, error) {
		switch b := m.Body.(type) {
		case wire.Ack:
			n, err := s.acked(ctx, b, byOp, done)
			answered += n
			return answered == len(ops), err
		case wire.Reject:
			if err := s.rejected(ctx, b, byOp, done); err != nil {
				return false, err
			}
			answered++
			return answered == len(ops), nil
		default:
			return false, fmt.Errorf("%w: %s answering a push", ErrProtocol, m.Body.Type())
		}
	})
}

func (s *session) acked(ctx context.Context, a wire.Ack, byOp map[string]wire.Op, done map[string]bool) (int, error) {
	if a.Index != s.welcome.Head.Index {
		return 0, fmt.Errorf("%w: ack in index %s, the session's is %s", ErrProtocol, a.Index, s.welcome.Head.Index)
	}
	for _, o := range a.Ops {
		if _, ok := byOp[o.Op]; !ok || done[o.Op] {
			return 0, fmt.Errorf("%w: ack for op %s, which is not pending in this push", ErrProtocol, o.Op)
		}
	}
	if err := s.r.Acked(ctx, a.Index, a.Ops); err != nil {
		return 0, fmt.Errorf("record acks: %w", err)
	}
	for _, o := range a.Ops {
		done[o.Op] = true
		if op := byOp[o.Op]; checkpoint.IsLeaf(op) {
			s.lastAudit = &op
		}
	}
	return len(a.Ops), nil
}

func (s *session) rejected(ctx context.Context, r wire.Reject, byOp map[string]wire.Op, done map[string]bool) error {
	if _, ok := byOp[r.Op]; !ok || done[r.Op] {
		return fmt.Errorf("%w: reject for op %s, which is not pending in this push", ErrProtocol, r.Op)
	}
	if err := s.r.Rejected(ctx, r); err != nil {
		return fmt.Errorf("record rejection of %s: %w", r.Op, err)
	}
	done[r.Op] = true
	s.c.refreshCounts(ctx)
	s.c.emit(Event{Kind: EventRejection, Rejection: &r})
	return nil
}
