package comm

import (
	"context"
	"encoding/binary"
	"errors"
	"time"

	"github.com/gorun-dev/gorun/comm/transport"
)

// A mismatch found by one rank is told to every rank. Only the ranks that
// exchange frames with a peer in another call can see the mismatch
// themselves; the others would wait for a rank that has failed and report
// it as failed. So the rank that finds a *MismatchError sends every peer
// a notice (a collective frame with Arg argMismatch and the error's fields
// as payload) before it fails, and a mailbox that receives one aborts
// with that *MismatchError: every blocked or later call of the rank
// returns an error wrapping it.
//
// A rank whose whole part of the mismatched call involved only peers that
// agree with it may have returned from the call before the notice
// arrives; its next call fails.
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
			f := k.frame(codecNone, clone(payload))
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
	e := &MismatchError{Seq: seq, Rank: int(src), Peer: -1, Call: "?", PeerCall: "?"}
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
