package comm

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/gorun-dev/gorun/comm/transport"
)

// A mismatch found by one rank is told to every rank, in the terms of the
// call's family (coll_nonblocking.go), which every rank has made. Only the ranks that
// exchange frames with a peer in another call can see the mismatch
// themselves; the others would wait for a rank that has failed and report
// it as failed. So the rank that finds a *MismatchError sends every peer
// a notice (a collective frame with Arg argMismatch and the error's fields
// as payload) before it fails, and a mailbox that receives one aborts
// with that *MismatchError: every blocked or later call of the rank
// returns an error wrapping it.
//
// No rank returns from the mismatched call (see coll_probe.go), so every
// rank's call fails with it.
const argMismatch int32 = -3

// mismatchNoticeTimeout bounds the sends of the notices: a failing rank
// must not block on a peer that no longer reads.
const mismatchNoticeTimeout = time.Second

// tellMismatch sends every peer the notice of err if this rank found it.
func (k *coll) tellMismatch(err error) {
	var me *MismatchError
	if !errors.As(err, &me) || me.Rank != k.c.rank {
		return // none, or one this rank was told of
	}
	payload := encodeMismatch(me)
	ctx, cancel := context.WithTimeout(context.Background(), mismatchNoticeTimeout)
	defer cancel()
	for j := range k.c.size {
		if j != k.c.rank {
			f := k.familyFrame(codecNone, clone(payload))
			f.Arg = argMismatch
			_ = k.c.t.Send(ctx, j, f) // a peer that left has nothing to fail
		}
	}
}

// encodeMismatch writes e as: peer (uint32), len(call) (uint32), call,
// peer call.
func encodeMismatch(e *MismatchError) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(e.Peer))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(e.Call)))
	b = append(b, e.Call...)
	return append(b, e.PeerCall...)
}

// decodeMismatch reads a notice from rank src about call seq.
func decodeMismatch(seq int64, src int32, b []byte) *MismatchError {
	e := &MismatchError{Seq: seq, Rank: int(src), Peer: -1, Call: "?", PeerCall: "?", outer: true}
	if len(b) < 8 {
		return e
	}
	e.Peer = int(int32(binary.LittleEndian.Uint32(b)))
	n := binary.LittleEndian.Uint32(b[4:])
	if rest := b[8:]; uint64(n) <= uint64(len(rest)) {
		e.Call, e.PeerCall = string(rest[:n]), string(rest[n:])
	}
	return e
}

// mismatchNotice reports whether f is a mismatch notice, and the error.
func mismatchNotice(f *transport.Frame) (*MismatchError, bool) {
	if f.Kind != transport.KindColl || f.Arg != argMismatch {
		return nil, false
	}
	return decodeMismatch(tagSeq(f.Tag), f.Src, f.Payload), true
}

// lengthsError is a built-in op's error for slices of different lengths.
type lengthsError struct {
	op   string
	a, b int
}

func (e *lengthsError) Error() string {
	return fmt.Sprintf("comm: %s over slices of lengths %d and %d", e.op, e.a, e.b)
}

// fromPeer gives the error of combining a value from rank src its
// collective meaning: slices of other lengths are calls with other element
// counts, a *MismatchError. mineFirst tells which of combine's operands was
// this rank's.
func (k *coll) fromPeer(src int, err error, mineFirst bool) error {
	var le *lengthsError
	if !errors.As(err, &le) {
		return err
	}
	mine, theirs := le.a, le.b
	if !mineFirst {
		mine, theirs = theirs, mine
	}
	return &MismatchError{Seq: k.seq, Rank: k.c.rank, Call: fmt.Sprintf("%s of %d elements", k.name(), mine),
		Peer: src, PeerCall: fmt.Sprintf("%s of %d elements", k.name(), theirs)}
}
