package events

import (
	"context"
	"sync"
	"testing"
	"time"
)

type capture struct {
	mu  sync.Mutex
	evs []Event
}

func (c *capture) Publish(_ context.Context, e Event) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.evs = append(c.evs, e)
	return nil
}

// Wednesday 2026-03-04 is a working day.
var (
	workday = time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	night   = time.Date(2026, 3, 4, 22, 0, 0, 0, time.UTC)
	sunday  = time.Date(2026, 3, 8, 11, 0, 0, 0, time.UTC)
)

var small = DetectorPolicy{
	ExportThreshold: 3, ExportWindow: 10 * time.Minute,
	OffHoursThreshold: 2, OffHoursWindow: time.Hour,
	WorkStart: 7, WorkEnd: 19, Location: time.UTC,
}

type obs struct {
	user string
	kind OpKind
	at   time.Time
}

// series returns n observations of kind by user, step apart from start.
func series(user string, kind OpKind, start time.Time, step time.Duration, n int) []obs {
	out := make([]obs, n)
	for i := range out {
		out[i] = obs{user, kind, start.Add(time.Duration(i) * step)}
	}
	return out
}

func join(parts ...[]obs) []obs {
	var out []obs
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestDetector(t *testing.T) {
	cases := []struct {
		name string
		obs  []obs
		want []string // event kinds, in order
	}{
		{"exports below threshold", series("anna", Export, workday, time.Minute, 2), nil},
		{"mass export", series("anna", Export, workday, time.Minute, 3), []string{MassExport}},
		{"one event per burst, not per op", series("anna", Export, workday, time.Second, 40), []string{MassExport}},
		{"spread out exports are not a burst", series("anna", Export, workday, 6*time.Minute, 10), nil},
		{"two bursts an hour apart", join(
			series("anna", Export, workday, time.Second, 3),
			series("anna", Export, workday.Add(time.Hour), time.Second, 3)), []string{MassExport, MassExport}},
		{"per user, not per team", join(
			series("anna", Export, workday, time.Second, 2),
			series("ben", Export, workday, time.Second, 2)), nil},
		{"approvals in working hours", series("anna", Approve, workday, time.Minute, 20), nil},
		{"approvals at night", series("anna", Approve, night, time.Minute, 2), []string{OffHoursApprove}},
		{"approvals on a Sunday", series("anna", Approve, sunday, time.Minute, 2), []string{OffHoursApprove}},
		{"night approvals too far apart", series("anna", Approve, night, 2*time.Hour, 3), nil},
		{"edge: 19:00 is off-hours, 07:00 is not", join(
			series("anna", Approve, time.Date(2026, 3, 4, 19, 0, 0, 0, time.UTC), time.Minute, 2),
			series("ben", Approve, time.Date(2026, 3, 4, 7, 0, 0, 0, time.UTC), time.Minute, 2)), []string{OffHoursApprove}},
		{"other kinds ignored", series("anna", OpKind("set"), night, time.Second, 50), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pub := &capture{}
			d := NewDetector(small, pub)
			for _, o := range c.obs {
				if err := d.Observe(context.Background(), "team-a", o.user, o.kind, o.at); err != nil {
					t.Fatal(err)
				}
			}
			var got []string
			for _, e := range pub.evs {
				got = append(got, e.Kind)
				if e.Team != "team-a" || e.User == "" || e.At.IsZero() || e.Detail == "" {
					t.Errorf("incomplete event %+v", e)
				}
			}
			if len(got) != len(c.want) {
				t.Fatalf("events %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("events %v, want %v", got, c.want)
				}
			}
		})
	}
}

func TestDetectorDefaultsAndLocation(t *testing.T) {
	d := NewDetector(DetectorPolicy{}, &capture{})
	if d.p.ExportThreshold != DefaultPolicy.ExportThreshold || d.p.OffHoursWindow != DefaultPolicy.OffHoursWindow {
		t.Fatalf("zero policy did not take the defaults: %+v", d.p)
	}
	// 22:00 UTC is 07:00 next morning in Tokyo (UTC+9): working hours there.
	tokyo := time.FixedZone("JST", 9*3600)
	d = NewDetector(DetectorPolicy{WorkStart: 7, WorkEnd: 19, Location: tokyo}, &capture{})
	if d.OffHours(night) {
		t.Fatalf("%v is 07:00 Thursday in Tokyo, a working hour", night)
	}
	if !d.OffHours(workday) {
		t.Fatalf("%v is 19:00 in Tokyo, off-hours", workday)
	}
}
