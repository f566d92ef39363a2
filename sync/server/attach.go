package server

import (
	"context"
	"errors"

	"github.com/smartap/desktop/sync/serverstore"
	"github.com/smartap/desktop/sync/wire"
)

// chunk stores one uploaded chunk and answers ChunkWant with the next
// offset the server wants (the size once complete), so a client resumes
// after a cut from where the server is. Content that does not match its
// hash, or a size that contradicts an earlier chunk, closes the session
// (4003): the protocol has no per-attachment error frame.
func (c *conn) chunk(ctx context.Context, id string, ch wire.Chunk) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	up, err := c.s.cfg.Store.PutChunk(ctx, c.team.id, ch.Hash, ch.Size, ch.Offset, ch.Data)
	switch {
	case errors.Is(err, serverstore.ErrHashMismatch):
		c.closeWith(CloseProtocol, "attachment "+ch.Hash.String()+": content does not match its hash; upload dropped")
		return
	case errors.Is(err, serverstore.ErrInvalid):
		c.closeWith(CloseProtocol, truncate(err.Error(), 120))
		return
	case err != nil:
		c.closeWith(1011, "attachment storage unavailable; retry later")
		return
	}
	c.reply(id, wire.ChunkWant{Hash: ch.Hash, Offset: up.Held})
}

// chunkWant streams a complete attachment from the wanted offset. For an
// attachment the server does not hold complete it answers ChunkWant with
// the offset it holds (0 if none): "I need it from there", which a client
// holding the original answers by uploading.
func (c *conn) chunkWant(ctx context.Context, id string, w wire.ChunkWant) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	up, err := c.s.cfg.Store.Attachment(ctx, c.team.id, w.Hash)
	switch {
	case errors.Is(err, serverstore.ErrNotFound):
		c.reply(id, wire.ChunkWant{Hash: w.Hash})
		return
	case err != nil:
		c.closeWith(1011, "attachment storage unavailable; retry later")
		return
	case !up.Complete:
		c.reply(id, wire.ChunkWant{Hash: w.Hash, Offset: up.Held})
		return
	}
	off := min(w.Offset, up.Size)
	for {
		data, err := c.s.cfg.Store.ReadAttachment(ctx, c.team.id, w.Hash, off, wire.MaxChunk)
		if err != nil {
			c.closeWith(1011, "attachment storage unavailable; retry later")
			return
		}
		end := off + uint64(len(data))
		c.reply(id, wire.Chunk{Hash: w.Hash, Offset: off, Size: up.Size, Data: data, Final: end == up.Size})
		if end == up.Size || len(data) == 0 || c.closing.Load() {
			return
		}
		off = end
	}
}
