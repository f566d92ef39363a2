package client

import (
	"context"
	"errors"
	"fmt"

	"github.com/smartap/desktop/sync/wire"
)

// maxStalls bounds answers that make no progress on one attachment; the
// protocol always moves forward, so this only stops a loop.
const maxStalls = 3

// uploadAll offers every original the server may not have.
func (s *session) uploadAll(ctx context.Context) error {
	ups, err := s.r.Uploads(ctx)
	if err != nil {
		return fmt.Errorf("list attachments to upload: %w", err)
	}
	for _, a := range ups {
		if err := s.upload(ctx, a); err != nil {
			return fmt.Errorf("upload %s: %w", a.Hash, err)
		}
	}
	return nil
}

// upload sends chunks; after each the server answers ChunkWant with the
// next offset it wants (its stored length), which resumes an interrupted
// upload and, at the size, confirms the content (verified server-side).
func (s *session) upload(ctx context.Context, a Attachment) error {
	var off uint64
	stalls := 0
	for {
		next, err := s.sendChunk(ctx, a, off)
		if err != nil {
			return err
		}
		if next >= a.Size {
			if u, ok := s.r.(Uploader); ok {
				return u.Uploaded(ctx, a.Hash)
			}
			return nil
		}
		if next <= off {
			if stalls++; stalls > maxStalls {
				return fmt.Errorf("%w: the server keeps asking for offset %d", ErrProtocol, next)
			}
		}
		off = next
	}
}

func (s *session) sendChunk(ctx context.Context, a Attachment, off uint64) (uint64, error) {
	n := int(min(a.Size-off, wire.MaxChunk)) // #nosec G115 -- at most MaxChunk
	data, err := s.r.ReadAttachment(ctx, a.Hash, off, n)
	if err != nil {
		return 0, fmt.Errorf("read at %d: %w", off, err)
	}
	end := off + uint64(len(data))
	if _, err := s.cn.send(wire.Chunk{Hash: a.Hash, Offset: off, Size: a.Size, Data: data, Final: end == a.Size}); err != nil {
		return 0, err
	}
	var next uint64
	err = s.await(ctx, wantFor(a.Hash), func(m wire.Message) (bool, error) {
		next = m.Body.(wire.ChunkWant).Offset
		return true, nil
	})
	return next, err
}

func wantFor(h wire.Hash) func(wire.Message) bool {
	return func(m wire.Message) bool {
		w, ok := m.Body.(wire.ChunkWant)
		return ok && w.Hash == h
	}
}

func chunkFor(h wire.Hash) func(wire.Message) bool {
	return func(m wire.Message) bool {
		c, ok := m.Body.(wire.Chunk)
		return ok && c.Hash == h
	}
}

// downloadAll fetches originals the replica lacks. A download cut off
// resumes in the next session at the offset already written. A download
// the replica refuses (the content does not match its hash) starts over
// next time and does not stop the rest of sync.
func (s *session) downloadAll(ctx context.Context) error {
	miss, err := s.r.Missing(ctx)
	if err != nil {
		return fmt.Errorf("list missing attachments: %w", err)
	}
	for _, h := range miss {
		err := s.download(ctx, h)
		var bad badContent
		switch {
		case errors.As(err, &bad):
			s.c.cfg.Logger.Warn("sync: attachment refused", "hash", h.String(), "err", bad.err)
			s.c.forget(h)
		case err != nil:
			return fmt.Errorf("download %s: %w", h, err)
		}
	}
	return nil
}

// badContent marks a download the replica refused to store.
type badContent struct{ err error }

func (b badContent) Error() string { return b.err.Error() }

func (s *session) download(ctx context.Context, h wire.Hash) error {
	off := s.c.offset(h)
	if _, err := s.cn.send(wire.ChunkWant{Hash: h, Offset: off}); err != nil {
		return err
	}
	return s.await(ctx, chunkFor(h), func(m wire.Message) (bool, error) {
		ch := m.Body.(wire.Chunk)
		if ch.Offset != off {
			return false, fmt.Errorf("%w: chunk at %d, expected %d", ErrProtocol, ch.Offset, off)
		}
		if err := s.r.WriteAttachment(ctx, h, ch.Offset, ch.Data, ch.Final); err != nil {
			return false, badContent{err}
		}
		off += uint64(len(ch.Data))
		s.c.setOffset(h, off)
		if ch.Final {
			s.c.forget(h)
		}
		return ch.Final, nil
	})
}

func (c *Client) offset(h wire.Hash) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.downloads[h]
}

func (c *Client) setOffset(h wire.Hash, off uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.downloads[h] = off
}

func (c *Client) forget(h wire.Hash) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.downloads, h)
}
