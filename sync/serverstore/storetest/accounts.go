package storetest

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/smartap/desktop/backend/identity"
	"github.com/smartap/desktop/sync/server/events"
	"github.com/smartap/desktop/sync/serverstore"
)

// runAccounts is the Accounts half of the contract (Run calls it).
func runAccounts(t *testing.T, newStore func(t *testing.T) serverstore.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s serverstore.Store)
	}{
		{"api keys", testAPIKeys},
		{"api key unknown user", testAPIKeyUnknownUser},
		{"profiles", testProfiles},
		{"profile validation", testProfileValidation},
		{"devices", testDevices},
		{"devices first seen once under races", testDeviceRace},
		{"security events", testEvents},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, newStore(t)) })
	}
}

// t0 is a fixed time with microsecond precision, what stores keep.
var t0 = time.Date(2026, 3, 2, 10, 0, 0, 123456000, time.UTC)

func user(t *testing.T, s serverstore.Store, tm, name string) {
	t.Helper()
	if _, err := s.GetTeam(ctx, tm); err != nil {
		team(t, s, tm)
	}
	_, err := s.CreateUser(ctx, serverstore.User{Name: name, Team: tm, PasswordHash: "!x", Role: identity.Clerk})
	must(t, err)
}

func testAPIKeys(t *testing.T, s serverstore.Store) {
	user(t, s, "team-a", "svc-1")
	user(t, s, "team-b", "svc-2")
	key, rec, err := serverstore.NewAPIKey("svc-1")
	must(t, err)
	rec.CreatedAt = t0
	must(t, s.CreateAPIKey(ctx, rec))
	wantErr(t, s.CreateAPIKey(ctx, rec), serverstore.ErrExists)
	id, err := serverstore.ParseAPIKey(key)
	must(t, err)
	got, err := s.GetAPIKey(ctx, id)
	must(t, err)
	if !reflect.DeepEqual(got, rec) || !got.Matches(key) || got.Matches(key+"x") || got.Revoked() {
		t.Fatalf("GetAPIKey = %+v, want %+v (matching the key, not revoked)", got, rec)
	}
	_, other, err := serverstore.NewAPIKey("svc-2")
	must(t, err)
	must(t, s.CreateAPIKey(ctx, other))
	list, err := s.ListAPIKeys(ctx, "team-a")
	must(t, err)
	if len(list) != 1 || list[0].ID != rec.ID {
		t.Fatalf("ListAPIKeys(team-a) = %+v, want only %s", list, rec.ID)
	}
	must(t, s.RevokeAPIKey(ctx, id, t0.Add(time.Hour)))
	must(t, s.RevokeAPIKey(ctx, id, t0.Add(2*time.Hour))) // keeps the first time
	got, err = s.GetAPIKey(ctx, id)
	must(t, err)
	if !got.RevokedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("RevokedAt = %v, want %v", got.RevokedAt, t0.Add(time.Hour))
	}
	_, err = s.GetAPIKey(ctx, "0000000000000000")
	wantErr(t, err, serverstore.ErrNotFound)
	wantErr(t, s.RevokeAPIKey(ctx, "0000000000000000", t0), serverstore.ErrNotFound)
}

func testAPIKeyUnknownUser(t *testing.T, s serverstore.Store) {
	_, rec, err := serverstore.NewAPIKey("nobody")
	must(t, err)
	wantErr(t, s.CreateAPIKey(ctx, rec), serverstore.ErrNotFound)
	wantErr(t, s.CreateAPIKey(ctx, serverstore.APIKey{User: "x"}), serverstore.ErrInvalid)
}

func testProfiles(t *testing.T, s serverstore.Store) {
	user(t, s, "team-a", "anna")
	p, err := s.Profile(ctx, "anna")
	must(t, err)
	if p.CostCentres != nil || p.ApprovalLimit != "" {
		t.Fatalf("new profile = %+v, want empty", p)
	}
	must(t, s.SetCostCentres(ctx, "anna", []string{"CC-2", "CC-1", "CC-2"}))
	must(t, s.SetApprovalLimit(ctx, "anna", "5000.50"))
	p, err = s.Profile(ctx, "anna")
	must(t, err)
	want := serverstore.Profile{CostCentres: []string{"CC-1", "CC-2"}, ApprovalLimit: "5000.50"}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("profile = %+v, want %+v", p, want)
	}
	// Each setter leaves the other field alone; "" and nil clear.
	must(t, s.SetApprovalLimit(ctx, "anna", ""))
	must(t, s.SetCostCentres(ctx, "anna", nil))
	p, err = s.Profile(ctx, "anna")
	must(t, err)
	if p.CostCentres != nil || p.ApprovalLimit != "" {
		t.Fatalf("cleared profile = %+v", p)
	}
	_, err = s.Profile(ctx, "nobody")
	wantErr(t, err, serverstore.ErrNotFound)
	wantErr(t, s.SetCostCentres(ctx, "nobody", []string{"CC-1"}), serverstore.ErrNotFound)
	wantErr(t, s.SetApprovalLimit(ctx, "nobody", "1"), serverstore.ErrNotFound)
}

func testProfileValidation(t *testing.T, s serverstore.Store) {
	user(t, s, "team-a", "anna")
	for _, bad := range []string{"-1", "abc", "1,5", "1e3x"} {
		wantErr(t, s.SetApprovalLimit(ctx, "anna", bad), serverstore.ErrInvalid)
	}
	wantErr(t, s.SetCostCentres(ctx, "anna", []string{"CC-1", " "}), serverstore.ErrInvalid)
	p, err := s.Profile(ctx, "anna")
	must(t, err)
	if p.CostCentres != nil || p.ApprovalLimit != "" {
		t.Fatalf("refused writes changed the profile: %+v", p)
	}
}

func testDevices(t *testing.T, s serverstore.Store) {
	user(t, s, "team-a", "anna")
	user(t, s, "team-a", "ben")
	steps := []struct {
		user, device string
		at           time.Time
		first        bool
	}{
		{"anna", "dev-1", t0, true},
		{"anna", "dev-1", t0.Add(time.Hour), false},
		{"anna", "dev-2", t0.Add(2 * time.Hour), true},
		{"ben", "dev-1", t0.Add(3 * time.Hour), true}, // same device id, other user: new for ben
		{"anna", "dev-1", t0.Add(30 * time.Minute), false},
	}
	for i, st := range steps {
		first, err := s.SeeDevice(ctx, st.user, st.device, st.at)
		must(t, err)
		if first != st.first {
			t.Fatalf("step %d: SeeDevice(%s, %s) first = %v, want %v", i, st.user, st.device, first, st.first)
		}
	}
	got, err := s.Devices(ctx, "anna")
	must(t, err)
	want := []serverstore.Device{
		{ID: "dev-1", FirstSeen: t0, LastSeen: t0.Add(time.Hour)}, // an older sighting does not move last seen back
		{ID: "dev-2", FirstSeen: t0.Add(2 * time.Hour), LastSeen: t0.Add(2 * time.Hour)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Devices(anna) = %+v, want %+v", got, want)
	}
	_, err = s.SeeDevice(ctx, "nobody", "dev-1", t0)
	wantErr(t, err, serverstore.ErrNotFound)
	_, err = s.SeeDevice(ctx, "anna", "", t0)
	wantErr(t, err, serverstore.ErrInvalid)
}

func testDeviceRace(t *testing.T, s serverstore.Store) {
	user(t, s, "team-a", "anna")
	const n = 8
	var wg sync.WaitGroup
	firsts := make(chan bool, n)
	for range n {
		wg.Go(func() {
			first, err := s.SeeDevice(ctx, "anna", "dev-x", t0)
			if err != nil {
				t.Error(err)
			}
			firsts <- first
		})
	}
	wg.Wait()
	close(firsts)
	count := 0
	for f := range firsts {
		if f {
			count++
		}
	}
	if count != 1 {
		t.Fatalf("%d of %d racing SeeDevice calls reported first, want exactly 1", count, n)
	}
}

func testEvents(t *testing.T, s serverstore.Store) {
	var rec events.Recorder = s // the store is the bus's recorder
	evs := []events.Event{
		{Kind: events.NewDevice, Team: "team-a", User: "anna", Device: "dev-1", IP: "192.0.2.1", At: t0},
		{Kind: events.FailureBurst, User: "ghost", IP: "192.0.2.9", Detail: "10 failures", At: t0.Add(time.Minute)},
		{Kind: events.RefreshReuse, Team: "team-b", User: "ben", At: t0.Add(2 * time.Minute)},
		{Kind: events.NewDevice, Team: "team-a", User: "carl", Device: "dev-2", At: t0.Add(3 * time.Minute)},
	}
	for _, e := range evs {
		must(t, rec.RecordEvent(ctx, e))
	}
	wantErr(t, rec.RecordEvent(ctx, events.Event{Kind: events.NewDevice}), serverstore.ErrInvalid)
	cases := []struct {
		name string
		f    serverstore.EventFilter
		want []events.Event
	}{
		{"all", serverstore.EventFilter{}, evs},
		{"team", serverstore.EventFilter{Team: "team-a"}, []events.Event{evs[0], evs[3]}},
		{"kind", serverstore.EventFilter{Kind: events.RefreshReuse}, []events.Event{evs[2]}},
		{"since", serverstore.EventFilter{Since: t0.Add(time.Minute)}, evs[1:]},
		{"newest two, oldest first", serverstore.EventFilter{Limit: 2}, evs[2:]},
		{"nothing", serverstore.EventFilter{Team: "team-z"}, nil},
	}
	for _, c := range cases {
		got, err := s.ListEvents(ctx, c.f)
		must(t, err)
		if !reflect.DeepEqual(got, c.want) {
			t.Fatalf("%s: ListEvents = %+v, want %+v", c.name, got, c.want)
		}
	}
}
