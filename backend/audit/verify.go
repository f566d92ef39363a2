package audit

import (
	"crypto/ed25519"
	"errors"
)

// Verify checks one device's log, entries in seq order as the store returns
// them, against its signed head. The result is nil, a *VerifyError
// (errors.Is ErrTampered) naming the first bad entry, or ErrBadKey when pub
// is malformed.
//
// Entries are checked first, in order: seq contiguous from 1 (a gap is a
// deleted entry, reported at the first missing seq), one device, the link
// to the previous hash, the recomputed hash. Then the head: present, for
// the same device, signed by pub, and naming exactly the last entry. A head
// beyond the last entry means a truncated tail (reported at last seq + 1);
// entries beyond the head were appended without the device key.
//
// A consistent rewrite of an entry (hash recomputed) shows at the next
// entry, whose Prev no longer matches, or at the head if it was the last.
func Verify(entries []Entry, head *Head, pub ed25519.PublicKey) error {
	if err := verifyChain(entries); err != nil {
		return err
	}
	if head == nil {
		if len(entries) == 0 {
			return nil // nothing logged and nothing signed yet
		}
		return tampered(0, "head missing: the log's end is not signed")
	}
	return verifyHead(entries, *head, pub)
}

func verifyChain(entries []Entry) error {
	var prevHash [32]byte
	for i, e := range entries {
		want := uint64(i) + 1
		if e.Seq != want {
			return seqError(entries[i:], want)
		}
		if e.Device != entries[0].Device {
			return tampered(want, "belongs to device %q, log is for %q", e.Device, entries[0].Device)
		}
		if e.Prev != prevHash {
			return tampered(want, "does not link to entry %d (previous hash differs)", want-1)
		}
		if ComputeHash(e) != e.Hash {
			return tampered(want, "hash does not match its content")
		}
		prevHash = e.Hash
	}
	return nil
}

// seqError explains why rest[0] is not seq want: either want still comes
// later (entries reordered) or it is gone (deleted). Both are reported at
// want, the first position where the log differs from what was written.
func seqError(rest []Entry, want uint64) error {
	got := rest[0].Seq
	if got < want {
		return tampered(want, "out of order: seq %d appears where %d belongs", got, want)
	}
	for _, e := range rest[1:] {
		if e.Seq == want {
			return tampered(want, "out of order: seq %d appears where %d belongs", got, want)
		}
	}
	return tampered(want, "missing (deleted): next entry present is seq %d", got)
}

func verifyHead(entries []Entry, h Head, pub ed25519.PublicKey) error {
	var last Entry
	if len(entries) > 0 {
		last = entries[len(entries)-1]
		if h.Device != last.Device {
			// A head for another device vouches for none of these entries.
			return tampered(1, "signed head is for device %q, log is for %q", h.Device, last.Device)
		}
	}
	if err := VerifyHead(pub, h); err != nil {
		if errors.Is(err, ErrBadSignature) {
			// Without a valid head a consistent rewrite from entry 1 on
			// cannot be excluded, so no entry is vouched for.
			return tampered(1, "signed head does not verify with the device key")
		}
		return err
	}
	switch {
	case h.Seq > last.Seq:
		return tampered(last.Seq+1, "missing (truncated): signed head names seq %d, log ends at %d", h.Seq, last.Seq)
	case headHash(entries, h.Seq) != h.Hash:
		return tampered(h.Seq, "hash differs from the signed head")
	case h.Seq < last.Seq:
		return tampered(h.Seq+1, "not covered by the signed head (appended without the device key)")
	}
	return nil
}

// headHash is the hash a head at seq must carry: that entry's hash, or zero
// for a head of an empty log.
func headHash(entries []Entry, seq uint64) [32]byte {
	if seq == 0 {
		return [32]byte{}
	}
	return entries[seq-1].Hash
}
