package metrics_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/smartap/desktop/sync/server"
	"github.com/smartap/desktop/sync/server/authapi"
	"github.com/smartap/desktop/sync/server/events"
	"github.com/smartap/desktop/sync/server/metrics"
)

// The one type serves every consumer's interface.
var (
	_ server.Metrics  = (*metrics.Metrics)(nil)
	_ authapi.Metrics = (*metrics.Metrics)(nil)
)

// scrape returns the /metrics text.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	b, err := io.ReadAll(w.Result().Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestExposition(t *testing.T) {
	m := metrics.New()
	m.Connections(+1)
	m.Connections(+1)
	m.Connections(-1)
	for range 5 {
		m.Op(server.OpAccepted)
	}
	m.Reject("forbidden")
	m.Closed(4001)
	m.AuthAttempt("login", "unauthorized")
	m.FanoutLatency(3 * time.Millisecond)
	m.StoreError("append")
	// The bus counts through SecurityEvent: an event published is visible.
	bus := events.New(nil, m.SecurityEvent, nil)
	if err := bus.Publish(t.Context(), events.Event{Kind: events.RefreshReuse}); err != nil {
		t.Fatal(err)
	}
	text := scrape(t, m)
	for _, want := range []string{
		"smartap_sync_connections 1",
		`smartap_sync_ops_ingested_total{result="accepted"} 5`,
		`smartap_sync_closes_total{code="4001"} 1`,
		`smartap_sync_rejections_total{code="forbidden"} 1`,
		`smartap_sync_auth_attempts_total{endpoint="login",result="unauthorized"} 1`,
		"smartap_sync_fanout_latency_seconds_count 1",
		`smartap_sync_store_errors_total{op="append"} 1`,
		`smartap_sync_security_events_total{kind="refresh_reuse"} 1`,
		`smartap_sync_security_events_total{kind="new_device"} 0`, // every kind from the first scrape
		"go_goroutines",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestNilMetricsIgnoresCalls(t *testing.T) {
	var m *metrics.Metrics
	m.Connections(1)
	m.Op("accepted")
	m.SecurityEvent("x")
	m.FanoutLatency(time.Second)
}

// Two instances in one process do not collide (own registries).
func TestIndependentRegistries(t *testing.T) {
	a, b := metrics.New(), metrics.New()
	a.Reject("forbidden")
	if strings.Contains(scrape(t, b), `code="forbidden"`) {
		t.Fatal("instances share a registry")
	}
}
