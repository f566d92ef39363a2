package server

import (
	"context"
	"errors"

	"github.com/smartap/desktop/sync/checkpoint"
	"github.com/smartap/desktop/sync/wire"
)

// checkpoint answers a CheckpointWant with the team's signed audit log
// head (sync/checkpoint), after catching up with the store so the answer
// includes every committed audit op. An OldSize past the log (the client
// saw a bigger log: a fork or a rollback) is answered without the
// consistency proof, which the client's verification reports.
func (c *conn) checkpoint(ctx context.Context, id string, w wire.CheckpointWant) {
	t := c.team
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	t.mu.Lock()
	exs, err := t.catchUp(ctx, c.s.cfg.Store)
	var cp wire.Checkpoint
	if err == nil {
		cp, err = t.audit.CheckpointFor(c.s.cfg.CheckpointKey, w)
		if errors.Is(err, checkpoint.ErrOutOfRange) {
			w.OldSize = 0
			cp, err = t.audit.CheckpointFor(c.s.cfg.CheckpointKey, w)
		}
	}
	t.mu.Unlock()
	t.announce(exs)
	if err != nil {
		c.closeWith(1011, "checkpoint unavailable; retry later")
		return
	}
	c.reply(id, cp)
}
