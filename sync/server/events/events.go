// Package events carries the sync server's security events (ARCHITECTURE
// §8): recorded, counted, and pushed live to the team's connected admins.
// The Bus is the one place events enter, so no producer can forget one of
// those three.
package events

import (
	"context"
	"sync"
	"time"
)

// Kinds of security event. The values are stored and sent; never rename one.
const (
	NewDevice       = "new_device"       // a user logged in from a device not seen before
	FailureBurst    = "failure_burst"    // repeated failed logins for one user or address
	MassExport      = "mass_export"      // many invoices exported in a short time
	OffHoursApprove = "offhours_approve" // many approvals outside working hours
	RefreshReuse    = "refresh_reuse"    // a spent refresh token was presented again
	UserDisabled    = "user_disabled"    // an admin disabled a user
	RoleChanged     = "role_changed"     // an admin changed a user's role
)

// Event is one security event. It never carries a secret.
type Event struct {
	Kind   string
	Team   string // empty for events before a team is known (unknown user)
	User   string
	Device string
	IP     string
	Detail string
	At     time.Time
}

// Recorder persists events; the Bus calls it before fanning out, so an
// event an admin saw live is also in the record.
type Recorder interface {
	RecordEvent(ctx context.Context, e Event) error
}

// Bus fans events out to subscribers. The zero value is not usable; use New.
type Bus struct {
	rec     Recorder
	count   func(kind string)
	now     func() time.Time
	mu      sync.Mutex
	next    int
	subs    map[int]sub
	dropped int
}

type sub struct {
	team string
	ch   chan Event
}

// New returns a Bus. rec and count may be nil (tests); now defaults to
// time.Now.
func New(rec Recorder, count func(kind string), now func() time.Time) *Bus {
	if now == nil {
		now = time.Now
	}
	return &Bus{rec: rec, count: count, now: now, subs: map[int]sub{}}
}

// Publish records e (its At set if zero), counts it and hands it to every
// subscriber of its team. A subscriber that is not keeping up loses the
// live copy, never the recorded one: a slow admin connection must not stall
// logins. The error is the Recorder's; the event is still delivered live.
func (b *Bus) Publish(ctx context.Context, e Event) error {
	if e.At.IsZero() {
		e.At = b.now().UTC()
	}
	var err error
	if b.rec != nil {
		err = b.rec.RecordEvent(ctx, e)
	}
	if b.count != nil {
		b.count(e.Kind)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.subs {
		if s.team != "" && s.team != e.Team {
			continue
		}
		select {
		case s.ch <- e:
		default:
			b.dropped++
		}
	}
	return err
}

// Subscribe returns a channel of the team's events ("" for every team) and
// a cancel function that must be called to release it.
func (b *Bus) Subscribe(team string) (<-chan Event, func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	id := b.next
	b.next++
	ch := make(chan Event, 64)
	b.subs[id] = sub{team: team, ch: ch}
	return ch, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if _, ok := b.subs[id]; ok {
			delete(b.subs, id)
			close(ch)
		}
	}
}

// Dropped reports how many live deliveries were skipped for slow subscribers.
func (b *Bus) Dropped() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.dropped
}
