package events

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// OpKind is what the Detector watches in the accepted-op stream.
type OpKind string

// The op kinds the Detector counts; the server maps commands onto them
// (an export command → Export, an approve command → Approve) and ignores
// the rest.
const (
	Export  OpKind = "export"
	Approve OpKind = "approve"
)

// DetectorPolicy sets the anomaly thresholds. A signal fires when one
// user's ops of a kind within a sliding Window reach Threshold; it then
// stays quiet for that user and kind until a whole Window passes, so an
// export of 10,000 invoices raises one event, not 9,951.
type DetectorPolicy struct {
	ExportThreshold   int           // exports per window that make a mass export
	ExportWindow      time.Duration //
	OffHoursThreshold int           // approvals outside working hours per window
	OffHoursWindow    time.Duration //
	// Working hours are [WorkStart, WorkEnd) on Monday to Friday in
	// Location; anything else (nights, weekends) is off-hours.
	WorkStart, WorkEnd int // hours, 0–24
	Location           *time.Location
}

// DefaultPolicy: 50 exports within 10 minutes; 10 approvals outside
// 07:00–19:00 Monday–Friday UTC within one hour.
var DefaultPolicy = DetectorPolicy{
	ExportThreshold: 50, ExportWindow: 10 * time.Minute,
	OffHoursThreshold: 10, OffHoursWindow: time.Hour,
	WorkStart: 7, WorkEnd: 19, Location: time.UTC,
}

// Publisher is where the Detector sends events; *Bus is one.
type Publisher interface {
	Publish(ctx context.Context, e Event) error
}

// Detector turns the accepted-op stream into MassExport and
// OffHoursApprove events. Time comes from the callers (each op's server
// receive time), so tests drive it without a clock. Safe for concurrent
// use.
type Detector struct {
	p   DetectorPolicy
	pub Publisher

	mu sync.Mutex
	w  map[detectorKey]*window
}

type detectorKey struct {
	team, user string
	kind       OpKind
}

type window struct {
	times      []time.Time // in the current window, oldest first
	quietUntil time.Time   // no second event before this
}

// maxWindows bounds memory: past it, idle windows are dropped.
const maxWindows = 100_000

// NewDetector returns a Detector with policy p (zero thresholds or windows
// take DefaultPolicy's) publishing to pub.
func NewDetector(p DetectorPolicy, pub Publisher) *Detector {
	d := DefaultPolicy
	if p.ExportThreshold > 0 && p.ExportWindow > 0 {
		d.ExportThreshold, d.ExportWindow = p.ExportThreshold, p.ExportWindow
	}
	if p.OffHoursThreshold > 0 && p.OffHoursWindow > 0 {
		d.OffHoursThreshold, d.OffHoursWindow = p.OffHoursThreshold, p.OffHoursWindow
	}
	if p.WorkEnd > p.WorkStart && p.WorkStart >= 0 && p.WorkEnd <= 24 {
		d.WorkStart, d.WorkEnd = p.WorkStart, p.WorkEnd
	}
	if p.Location != nil {
		d.Location = p.Location
	}
	return &Detector{p: d, pub: pub, w: map[detectorKey]*window{}}
}

// OffHours reports whether t is outside the policy's working hours.
func (d *Detector) OffHours(t time.Time) bool {
	t = t.In(d.p.Location)
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return true
	}
	return t.Hour() < d.p.WorkStart || t.Hour() >= d.p.WorkEnd
}

// Observe counts one accepted op of user in team at server time at and
// publishes an event when a threshold is crossed. It returns the
// publisher's error, if an event was published and recording it failed.
func (d *Detector) Observe(ctx context.Context, team, user string, kind OpKind, at time.Time) error {
	var kindName string
	var threshold int
	var win time.Duration
	switch {
	case kind == Export:
		kindName, threshold, win = MassExport, d.p.ExportThreshold, d.p.ExportWindow
	case kind == Approve && d.OffHours(at):
		kindName, threshold, win = OffHoursApprove, d.p.OffHoursThreshold, d.p.OffHoursWindow
	default:
		return nil
	}
	if !d.count(detectorKey{team, user, kind}, at, threshold, win) {
		return nil
	}
	return d.pub.Publish(ctx, Event{
		Kind: kindName, Team: team, User: user, At: at,
		Detail: fmt.Sprintf("%d %s ops within %s", threshold, kind, win),
	})
}

// count adds at to the key's window and reports whether this op crossed
// the threshold outside a quiet period.
func (d *Detector) count(k detectorKey, at time.Time, threshold int, win time.Duration) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	w := d.w[k]
	if w == nil {
		d.sweep(at)
		w = &window{}
		d.w[k] = w
	}
	// Ops arrive in server order, but keep the window correct if a caller
	// passes an older time: drop everything older than at-win.
	cut := 0
	for cut < len(w.times) && !w.times[cut].After(at.Add(-win)) {
		cut++
	}
	w.times = append(w.times[cut:], at)
	if len(w.times) < threshold || at.Before(w.quietUntil) {
		return false
	}
	w.quietUntil = at.Add(win)
	w.times = w.times[:0]
	return true
}

// sweep drops windows with nothing recent once the map is large.
func (d *Detector) sweep(now time.Time) {
	if len(d.w) < maxWindows {
		return
	}
	for k, w := range d.w {
		last := w.quietUntil
		if n := len(w.times); n > 0 && w.times[n-1].After(last) {
			last = w.times[n-1]
		}
		if now.Sub(last) > 24*time.Hour {
			delete(d.w, k)
		}
	}
}
