package merge

import (
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/smartap/desktop/backend/invoice"
)

var (
	long    = flag.Bool("long", false, "run the convergence property on many more seeds")
	oneSeed = flag.Uint64("seed", 0, "run the convergence property on this seed only (to reproduce a failure)")
)

// Parameters of the simulation; see the report in TestConvergence.
const (
	shortSeeds   = 200
	longSeeds    = 5000
	steps        = 400 // random actions per seed before the final sync
	dropPercent  = 20  // chance that any one message is lost
	fastPercent  = 30  // chance that a seed has a device whose clock is beyond MaxSkew
	fastAheadMs  = 10 * 60 * 1000
	normalSkewMs = 2000 // ordinary devices are off by up to ±2 s
)

var (
	simEntities = []Entity{{EntityInvoice, "inv-1"}, {EntityInvoice, "inv-2"}}
	simFields   = []string{"seller.name", "total", "iban"}
	simValues   = []string{"A", "B", "C"}
)

type device struct {
	name        string
	offset      int64 // wall clock error in ms
	fast        bool  // offset beyond MaxSkew: every op must be refused
	clock       HLC
	confirmed   map[Entity]State // built from the server log, in order
	next        int              // next log sequence to apply
	buffer      map[int]Op       // log entries that arrived ahead of next
	outbox      map[string]Op    // pushed, not acknowledged
	pending     []Op             // own ops not yet seen in the log
	partitioned bool
	made        int
}

type push struct {
	dev int
	op  Op
}

type ack struct {
	dev     int
	id      string
	refused bool
}

type entry struct{ dev, seq int }

type sim struct {
	r       *rand.Rand
	now     int64
	devs    []*device
	log     []Op // the server's total order
	inLog   map[string]bool
	server  map[Entity]State
	pushes  []push // in flight, delivered in random order
	acks    []ack
	entries []entry
	stats   *simStats
}

type simStats struct{ ops, refusedSkew, duplicates, drops, transitionEx, correctionEx int }

func newSim(seed uint64, st *simStats) *sim {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	s := &sim{r: r, now: 1_700_000_000_000, inLog: map[string]bool{}, server: fresh(), stats: st}
	for i := range 3 + r.IntN(3) {
		d := &device{name: fmt.Sprintf("d%d", i), offset: r.Int64N(2*normalSkewMs+1) - normalSkewMs,
			confirmed: fresh(), buffer: map[int]Op{}, outbox: map[string]Op{}}
		if i == 0 && r.IntN(100) < fastPercent {
			d.fast, d.offset = true, fastAheadMs
		}
		d.clock = HLC{Device: d.name}
		s.devs = append(s.devs, d)
	}
	return s
}

func fresh() map[Entity]State {
	m := map[Entity]State{}
	for _, e := range simEntities {
		m[e] = NewState(e)
	}
	return m
}

func (s *sim) wall(d *device) int64 { return s.now + d.offset }

// lost reports whether a message to or from d is dropped.
func (s *sim) lost(d *device) bool {
	if d.partitioned || s.r.IntN(100) < dropPercent {
		s.stats.drops++
		return true
	}
	return false
}

// view is what the device shows: the server's log plus its own pending ops.
func (d *device) view(e Entity) State {
	v := d.confirmed[e]
	for _, op := range d.pending {
		if op.Entity == e {
			v, _ = Apply(v, op)
		}
	}
	return v
}

// makeOp creates a random op from what d currently shows; mostly sensible
// commands, sometimes refused ones, and field corrections.
func (s *sim) makeOp(d *device) {
	r := s.r
	e := simEntities[r.IntN(len(simEntities))]
	v := d.view(e)
	d.clock = Now(s.wall(d), d.clock)
	d.made++
	op := Op{ID: fmt.Sprintf("%s-%d", d.name, d.made), Device: d.name, User: "u-" + d.name, Clock: d.clock,
		Entity: e, BaseStatus: v.Status.Status}
	if r.IntN(100) < 55 {
		kinds := slices.DeleteFunc(invoice.Allowed(v.Status), func(k invoice.CommandKind) bool { return k == invoice.Correct })
		if len(kinds) == 0 || r.IntN(100) < 20 {
			kinds = slices.DeleteFunc(invoice.CommandKinds(), func(k invoice.CommandKind) bool { return k == invoice.Correct })
		}
		op.Kind = KindCommand
		op.Command.Kind = kinds[r.IntN(len(kinds))]
		if op.Command.Kind.NeedsReason() && r.IntN(100) < 95 {
			op.Command.Reason = "because"
		}
	} else {
		op.Kind = KindSet
		op.Fields = map[string]FieldChange{}
		for range 1 + r.IntN(2) {
			p := simFields[r.IntN(len(simFields))]
			op.Fields[p] = FieldChange{Value: simValues[r.IntN(len(simValues))], Base: v.Fields[p].Clock}
		}
	}
	d.outbox[op.ID] = op
	d.pending = append(d.pending, op)
	s.stats.ops++
}

// ingest is the server receiving a push: idempotent by op id, refusing a
// skewed clock, otherwise appending to the total order.
func (s *sim) ingest(p push) {
	op := p.op
	switch {
	case s.inLog[op.ID]:
		s.stats.duplicates++
		s.acks = append(s.acks, ack{dev: p.dev, id: op.ID})
	case CheckSkew(s.now, op.Clock) != nil:
		s.stats.refusedSkew++
		s.acks = append(s.acks, ack{dev: p.dev, id: op.ID, refused: true})
	default:
		s.inLog[op.ID] = true
		s.log = append(s.log, op)
		s.server[op.Entity], _ = Apply(s.server[op.Entity], op)
		s.acks = append(s.acks, ack{dev: p.dev, id: op.ID})
	}
}

// receive is a device getting log entry seq: buffered, then applied in
// sequence order only, whatever order entries arrive in.
func (s *sim) receive(t *testing.T, seed uint64, d *device, seq int) {
	if seq < d.next {
		return // a duplicate delivery
	}
	d.buffer[seq] = s.log[seq]
	for {
		op, ok := d.buffer[d.next]
		if !ok {
			return
		}
		delete(d.buffer, d.next)
		d.next++
		c, err := Update(s.wall(d), d.clock, op.Clock)
		if err != nil && !d.fast {
			t.Fatalf("seed %d: %s refused a logged clock: %v (rerun with -args -seed=%d)", seed, d.name, err, seed)
		}
		d.clock = c
		d.confirmed[op.Entity], _ = Apply(d.confirmed[op.Entity], op)
		d.pending = slices.DeleteFunc(d.pending, func(p Op) bool { return p.ID == op.ID })
	}
}

func (s *sim) step(t *testing.T, seed uint64) {
	r := s.r
	s.now += r.Int64N(30)
	d := s.devs[r.IntN(len(s.devs))]
	di := slices.Index(s.devs, d)
	switch n := r.IntN(100); {
	case n < 20:
		s.makeOp(d)
	case n < 35: // (re)send unacknowledged ops, possibly ones already in flight
		for _, id := range slices.Sorted(maps.Keys(d.outbox)) {
			if r.IntN(2) == 0 {
				s.pushes = append(s.pushes, push{dev: di, op: d.outbox[id]})
			}
		}
	case n < 55 && len(s.pushes) > 0:
		i := r.IntN(len(s.pushes))
		p := s.pushes[i]
		s.pushes = slices.Delete(s.pushes, i, i+1)
		if !s.lost(s.devs[p.dev]) {
			s.ingest(p)
		}
	case n < 65 && len(s.acks) > 0:
		i := r.IntN(len(s.acks))
		a := s.acks[i]
		s.acks = slices.Delete(s.acks, i, i+1)
		if ad := s.devs[a.dev]; !s.lost(ad) {
			delete(ad.outbox, a.id)
			if a.refused {
				ad.pending = slices.DeleteFunc(ad.pending, func(p Op) bool { return p.ID == a.id })
			}
		}
	case n < 80 && len(s.log) > 0: // the server sends some entries, maybe again
		from := max(0, d.next-2)
		for seq := from; seq < len(s.log); seq++ {
			if r.IntN(3) > 0 {
				s.entries = append(s.entries, entry{dev: di, seq: seq})
			}
		}
	case n < 97 && len(s.entries) > 0:
		i := r.IntN(len(s.entries))
		en := s.entries[i]
		s.entries = slices.Delete(s.entries, i, i+1)
		if !s.lost(s.devs[en.dev]) {
			s.receive(t, seed, s.devs[en.dev], en.seq)
		}
	case n >= 97:
		d.partitioned = !d.partitioned
	}
}

// settle heals partitions and syncs reliably until every outbox is empty
// and every device has applied the whole log.
func (s *sim) settle(t *testing.T, seed uint64) {
	for _, d := range s.devs {
		d.partitioned = false
	}
	for _, p := range s.pushes { // stale pushes still arrive: duplicates
		s.ingest(p)
	}
	for i, d := range s.devs {
		for _, id := range slices.Sorted(maps.Keys(d.outbox)) {
			s.ingest(push{dev: i, op: d.outbox[id]})
		}
	}
	for _, a := range s.acks {
		delete(s.devs[a.dev].outbox, a.id)
		if a.refused {
			d := s.devs[a.dev]
			d.pending = slices.DeleteFunc(d.pending, func(p Op) bool { return p.ID == a.id })
		}
	}
	for _, d := range s.devs {
		for seq := len(s.log) - 1; seq >= 0; seq-- { // backwards: worst order
			s.receive(t, seed, d, seq)
		}
	}
}
