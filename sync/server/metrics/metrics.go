// Package metrics is the sync server's Prometheus instrumentation, served
// at /metrics. It keeps its own registry (never the global default), so
// two servers in one test process do not collide and nothing registered by
// a library leaks into the endpoint.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/smartap/desktop/sync/server/events"
)

const namespace = "smartap_sync"

// Metrics holds the server's collectors; it implements server.Metrics,
// authapi.Metrics and the events.Bus counter (SecurityEvent). All methods are safe for
// concurrent use; a nil *Metrics ignores every call, so tests and tools
// can run without instrumentation.
type Metrics struct {
	reg            *prometheus.Registry
	connections    prometheus.Gauge
	ops            *prometheus.CounterVec
	rejections     *prometheus.CounterVec
	securityEvents *prometheus.CounterVec
	authAttempts   *prometheus.CounterVec
	fanout         prometheus.Histogram
	storeErrors    *prometheus.CounterVec
	closes         *prometheus.CounterVec
}

// EventKinds are the security event kinds pre-set to zero, so a dashboard
// sees every series from the first scrape.
var EventKinds = []string{
	events.NewDevice, events.FailureBurst, events.MassExport, events.OffHoursApprove,
	events.RefreshReuse, events.UserDisabled, events.RoleChanged,
}

// New returns Metrics registered on a fresh registry, with the Go runtime
// and process collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		connections: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Name: "connections",
			Help: "Open websocket sync connections.",
		}),
		ops: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "ops_ingested_total",
			Help: "Pushed operations by result (accepted, duplicate, rejected).",
		}, []string{"result"}),
		rejections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "rejections_total",
			Help: "Rejected operations by reject code.",
		}, []string{"code"}),
		securityEvents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "security_events_total",
			Help: "Security events by kind.",
		}, []string{"kind"}),
		authAttempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "auth_attempts_total",
			Help: "Login, refresh and logout requests by endpoint and result.",
		}, []string{"endpoint", "result"}),
		fanout: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Name: "fanout_latency_seconds",
			Help:    "Time from an append's commit to its page being written to a connection.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14), // 0.5 ms … ~4 s
		}),
		storeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "store_errors_total",
			Help: "Storage failures by operation.",
		}, []string{"op"}),
		closes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "closes_total",
			Help: "Sync sessions closed by the server, by websocket close code.",
		}, []string{"code"}),
	}
	m.reg.MustRegister(m.connections, m.ops, m.rejections, m.securityEvents, m.authAttempts, m.fanout, m.storeErrors, m.closes,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, k := range EventKinds {
		m.securityEvents.WithLabelValues(k)
	}
	return m
}

// Registry is the registry behind Handler (for tests and extra collectors).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Connections adds delta (+1 at session start, -1 at its end) to the
// open-connection gauge.
func (m *Metrics) Connections(delta int) {
	if m != nil {
		m.connections.Add(float64(delta))
	}
}

// Op counts one pushed operation by result (accepted, duplicate, rejected).
func (m *Metrics) Op(result string) {
	if m != nil {
		m.ops.WithLabelValues(result).Inc()
	}
}

// Reject counts one Reject frame by its code.
func (m *Metrics) Reject(code string) {
	if m != nil {
		m.rejections.WithLabelValues(code).Inc()
	}
}

// Closed counts one session the server closed, by websocket close code.
func (m *Metrics) Closed(code int) {
	if m != nil {
		m.closes.WithLabelValues(strconv.Itoa(code)).Inc()
	}
}

// SecurityEvent counts one event; it fits events.New's count argument.
func (m *Metrics) SecurityEvent(kind string) {
	if m != nil {
		m.securityEvents.WithLabelValues(kind).Inc()
	}
}

// AuthAttempt counts one login, refresh or logout request by result.
func (m *Metrics) AuthAttempt(endpoint, result string) {
	if m != nil {
		m.authAttempts.WithLabelValues(endpoint, result).Inc()
	}
}

// FanoutLatency observes one commit-to-send delay.
func (m *Metrics) FanoutLatency(d time.Duration) {
	if m != nil {
		m.fanout.Observe(d.Seconds())
	}
}

// StoreError counts one storage failure of operation op.
func (m *Metrics) StoreError(op string) {
	if m != nil {
		m.storeErrors.WithLabelValues(op).Inc()
	}
}
