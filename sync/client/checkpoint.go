package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"github.com/smartap/desktop/backend/atomicfile"
	"github.com/smartap/desktop/sync/checkpoint"
	"github.com/smartap/desktop/sync/wire"
)

// CheckpointStore keeps the last verified checkpoint head per team, so the
// next checkpoint is checked to extend it (the log only grows).
type CheckpointStore interface {
	Load(team string) (*checkpoint.Verified, error) // nil, nil: none yet
	Save(v checkpoint.Verified) error
}

// checkpoint asks for a signed checkpoint after audit ops were acked in
// this session and verifies that the last of them is included and that the
// log extends the last verified head.
func (s *session) checkpoint(ctx context.Context) error {
	key := s.c.cfg.CheckpointKey
	if key == nil || s.lastAudit == nil {
		return nil
	}
	team := s.welcome.Team
	old, err := s.c.cfg.Checkpoints.Load(team)
	if err != nil {
		return fmt.Errorf("read the last verified checkpoint: %w", err)
	}
	want := wire.CheckpointWant{Op: s.lastAudit.ID}
	if old != nil {
		want.OldSize = old.Size
	}
	id, err := s.cn.send(want)
	if err != nil {
		return err
	}
	var cp wire.Checkpoint
	err = s.await(ctx, byID(id), func(m wire.Message) (bool, error) {
		c, ok := m.Body.(wire.Checkpoint)
		if !ok {
			return false, fmt.Errorf("%w: %s answering a checkpoint request", ErrProtocol, m.Body.Type())
		}
		cp = c
		return true, nil
	})
	if err != nil {
		return err
	}
	v, err := checkpoint.Verify(key, team, cp, s.lastAudit, old)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCheckpoint, err)
	}
	if err := s.c.cfg.Checkpoints.Save(v); err != nil {
		return fmt.Errorf("store the verified checkpoint: %w", err)
	}
	s.c.cfg.Logger.Info("sync checkpoint verified", "team", team, "size", v.Size, "root", v.Root.String())
	s.lastAudit = nil
	return nil
}

// FileCheckpoints keeps verified heads in a JSON file (in the data folder).
// Heads are public values: the file needs integrity, not secrecy, and a
// tampered file can only make verification fail, never pass a forked log
// that the device would otherwise have refused.
type FileCheckpoints struct {
	Path string
	mu   sync.Mutex
}

// Load returns the team's verified head, or nil when there is none.
func (f *FileCheckpoints) Load(team string) (*checkpoint.Verified, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	all, err := f.read()
	if err != nil {
		return nil, err
	}
	v, ok := all[team]
	if !ok {
		return nil, nil
	}
	return &v, nil
}

// Save replaces the team's verified head.
func (f *FileCheckpoints) Save(v checkpoint.Verified) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	all, err := f.read()
	if err != nil {
		return err
	}
	all[v.Team] = v
	b, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return fmt.Errorf("encode checkpoints: %w", err)
	}
	return atomicfile.WriteFile(f.Path, b, 0o600)
}

func (f *FileCheckpoints) read() (map[string]checkpoint.Verified, error) {
	all := map[string]checkpoint.Verified{}
	b, err := os.ReadFile(f.Path) // #nosec G304 -- a file in the user's data folder
	if errors.Is(err, fs.ErrNotExist) {
		return all, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Path, err)
	}
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, fmt.Errorf("%s is damaged: %w", f.Path, err)
	}
	return all, nil
}
