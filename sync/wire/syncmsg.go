package wire

import (
	"strconv"
)

// Type names of the operation-log messages.
const (
	TypePush      = "push"
	TypeAck       = "ack"
	TypePull      = "pull"
	TypePage      = "page"
	TypeBootstrap = "bootstrap"
	TypeSnapshot  = "snapshot"
)

// Push sends operations from a device's outbox (client → server). Every op
// is answered, under the push's message id, either in an Ack or by a Reject;
// pushing the same op id again is answered with its original sequence.
type Push struct {
	Ops []Op `json:"ops"`
}

// Type implements Body.
func (Push) Type() string { return TypePush }

func (p Push) check() error {
	if err := checkCount("ops", len(p.Ops), 1, MaxBatch); err != nil {
		return err
	}
	seen := make(map[string]bool, len(p.Ops))
	for i, op := range p.Ops {
		// The path is built only on failure: this runs for every op.
		if err := op.check(); err != nil {
			return in(opPath(i), err)
		}
		// The same id twice in one batch is a client bug; refusing it keeps
		// "applied at most once" trivially true inside a batch.
		if seen[op.ID] {
			return fieldErr(opPath(i), "op id %s repeated in the batch", op.ID)
		}
		seen[op.ID] = true
	}
	return nil
}

// Ack confirms ops the server has committed (server → client), each with
// the sequence the server assigned in the team's log. Sent only after the
// commit, so an acked op survives a server crash.
type Ack struct {
	Index string  `json:"index"`
	Ops   []Acked `json:"ops"`
}

// Acked is one committed op and its server sequence.
type Acked struct {
	Op  string `json:"op"`
	Seq uint64 `json:"seq"`
}

// Type implements Body.
func (Ack) Type() string { return TypeAck }

func (a Ack) check() error {
	if err := first(checkID("index", a.Index), checkCount("ops", len(a.Ops), 1, MaxBatch)); err != nil {
		return err
	}
	for i, o := range a.Ops {
		if err := checkUUID("op", o.Op); err != nil {
			return in(opPath(i), err)
		}
		if o.Seq == 0 {
			return checkSeq(opPath(i)+".seq", o.Seq)
		}
	}
	return nil
}

// opPath is the path of entry i of a list of ops, for error messages.
func opPath(i int) string { return "ops[" + strconv.Itoa(i) + "]" }

// checkSeq requires an assigned sequence; sequences start at 1 so that 0
// can mean "nothing yet" in a cursor.
func checkSeq(path string, seq uint64) error {
	if seq == 0 {
		return fieldErr(path, "sequence must be at least 1")
	}
	return nil
}

// Pull asks for the ops after a cursor (client → server), at most Limit.
type Pull struct {
	After Cursor `json:"after"`
	Limit uint32 `json:"limit"`
}

// Type implements Body.
func (Pull) Type() string { return TypePull }

func (p Pull) check() error {
	if err := in("after", p.After.check()); err != nil {
		return err
	}
	if p.Limit < 1 || p.Limit > MaxPage {
		return fieldErr("limit", "%d is outside 1..%d", p.Limit, MaxPage)
	}
	return nil
}

// Page answers a pull (server → client): ops in server order, the cursor to
// pull from next, and whether more are waiting. The server also sends pages
// unasked when new ops commit.
type Page struct {
	Ops  []Sequenced `json:"ops"`
	Next Cursor      `json:"next"`
	More bool        `json:"more"`
}

// Sequenced is an op with its server sequence.
type Sequenced struct {
	Seq uint64 `json:"seq"`
	Op  Op     `json:"op"`
}

// Type implements Body.
func (Page) Type() string { return TypePage }

func (p Page) check() error {
	if err := first(in("next", p.Next.check()), checkCount("ops", len(p.Ops), 0, MaxPage)); err != nil {
		return err
	}
	var prev uint64
	for i, s := range p.Ops {
		// Strictly increasing: a repeated or reordered sequence would apply
		// an op twice or out of server order.
		if s.Seq <= prev {
			return fieldErr(opPath(i)+".seq", "%d does not follow %d", s.Seq, prev)
		}
		prev = s.Seq
		if err := s.Op.check(); err != nil {
			return in(opPath(i)+".op", err)
		}
	}
	if prev > p.Next.Seq {
		return fieldErr("next.seq", "%d is behind the last op %d", p.Next.Seq, prev)
	}
	return nil
}

// Bootstrap asks for one page of a snapshot (client → server), for a new
// device. The first request leaves At nil (newest snapshot); the following
// ones repeat the At of the first page so all pages come from one snapshot.
type Bootstrap struct {
	At   *Cursor `json:"at,omitempty"`
	Page uint32  `json:"page"`
}

// Type implements Body.
func (Bootstrap) Type() string { return TypeBootstrap }

func (b Bootstrap) check() error {
	if b.At == nil {
		return nil
	}
	return in("at", b.At.check())
}

// Snapshot is one page of a snapshot (server → client): the state of every
// record as of cursor At. After the Last page the client pulls the tail
// from At.
type Snapshot struct {
	At      Cursor   `json:"at"`
	Page    uint32   `json:"page"`
	Last    bool     `json:"last"`
	Records []Record `json:"records"`
}

// Record is the current state of one entity: its fields and the clock of
// the last write, which later field changes are merged against.
type Record struct {
	Entity Entity  `json:"entity"`
	Clock  HLC     `json:"hlc"`
	Fields []Field `json:"fields"`
}

// Type implements Body.
func (Snapshot) Type() string { return TypeSnapshot }

func (s Snapshot) check() error {
	if err := first(in("at", s.At.check()), checkCount("records", len(s.Records), 0, MaxPage)); err != nil {
		return err
	}
	for i, r := range s.Records {
		err := first(in("entity", r.Entity.check()), in("hlc", r.Clock.check()), checkFields("fields", r.Fields, 1))
		if err != nil {
			return in("records["+strconv.Itoa(i)+"]", err)
		}
	}
	return nil
}
