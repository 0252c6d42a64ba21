package comm

import (
	"context"
	"encoding/binary"
	"time"

	"github.com/gorun-dev/gorun/comm/transport"
)

// Every rank's successful return from a collective depends on every rank's
// identity of the call (operation, root, reduction op), checked frame by
// frame: a rank forwards nothing it has not checked, so a rank that
// returns has, through a chain of checked frames, the word of every rank
// that it made the same call. Calls whose data reach every rank from every
// rank (Barrier, Allreduce, Allgather, Alltoall, ReduceScatter) have that
// chain already; the others (Bcast, Scatter, Gather, Reduce, Scan and their
// v forms) end with a dissemination fence of the call's identity (certify),
// which also keeps a sender from returning while a receiver still reads
// the memory it sent (the transport may pass views).
//
// Mismatched calls can also wait on each other: a rank waiting for a frame
// that a peer in another call will never send. A collective wait parked
// for stallProbe sends the awaited peer a probe naming the waiter's call; the
// peer checks it against its own call of that sequence number (in its
// collective waits, or when it begins the call) and, if they differ, fails
// with a *MismatchError that it tells every rank. In a stuck world some
// rank waits for a peer in another call at the same point (a wait-for
// cycle among ranks in one call would deadlock that call on its own), so
// every mismatch ends in a *MismatchError on every rank.
const argProbe int32 = -4

// stallProbe is how long a collective wait is parked before it probes the
// peer it waits for: long enough that a wait for a busy peer costs no
// frame, short against the second within which a mismatch is reported.
const stallProbe = 100 * time.Millisecond

// probe is a peer's call, received in a probe.
type probe struct {
	cid  uint32
	seq  int64
	call collCall
	root int32
	red  uint32
	src  int32
}

// certify ends a collective whose data do not reach every rank from every
// rank: after the call's own part succeeded, a fence of its identity; err
// is then fatal for the world as fail makes it.
func (k *coll) certify(ctx context.Context, err error) error {
	if err == nil && k.c.size > 1 {
		err = k.barrier(ctx)
	}
	return k.fail(err)
}

// sendProbe tells src, which k waits for, what k is. A probe speaks of
// the outer call (the staged collective a stage is part of) in its
// family's terms (coll_nonblocking.go): a peer waiting in a stage, a lane
// or the parent itself checks it against its own call of that number.
func (k *coll) sendProbe(src int) {
	f := k.familyFrame(codecNone, binary.LittleEndian.AppendUint32(nil, uint32(k.callRoot())))
	f.Arg = argProbe
	ctx, cancel := context.WithTimeout(context.Background(), mismatchNoticeTimeout)
	defer cancel()
	_ = k.c.t.Send(ctx, src, f) // a peer that left fails the wait anyway
}

// outer is the call k is part of: k itself, or the staged collective k is
// a stage of.
func (k *coll) outer() *coll {
	for k.stageOf != nil {
		k = k.stageOf
	}
	return k
}

// familyFrame is a frame of k's outer call in its family's terms: the
// family's id, the call's sequence number there, this rank's rank there.
func (k *coll) familyFrame(codec uint8, payload []byte) transport.Frame {
	o := k.outer()
	f := o.frame(codec, payload)
	f.Comm = o.c.familyCid()
	return f
}

// addProbe keeps the probe f for the rank's collective calls to check and
// wakes every parked collective wait: the probe may be for any of them
// (calls on several communicators can wait at once), and a wait that
// finds it is not its own parks again.
func (m *mailbox) addProbe(f *transport.Frame) {
	p := probe{cid: f.Comm, seq: tagSeq(f.Tag), call: collCall(f.Op), red: tagRed(f.Tag), src: f.Src}
	if len(f.Payload) >= 4 {
		p.root = int32(binary.LittleEndian.Uint32(f.Payload))
	}
	m.mu.Lock()
	m.probes = append(m.probes, p)
	m.hasProbes.Store(true)
	if m.collParked.Load() > 0 {
		wake := make(chan struct{})
		close(*m.collWake.Swap(&wake))
	}
	m.mu.Unlock()
}

// checkProbes fails with a *MismatchError if a peer probed the sequence
// number of k's outer call with another call. Probes of earlier calls are
// dropped, of later ones kept for those calls.
func (k *coll) checkProbes() error {
	m := k.c.mb
	if !m.hasProbes.Load() {
		return nil
	}
	o := k.outer()
	cid, seq := o.c.familyCid(), o.seq
	m.mu.Lock()
	defer m.mu.Unlock()
	var err error
	keep := m.probes[:0]
	for _, p := range m.probes {
		switch {
		case p.cid != cid || p.seq > seq:
			keep = append(keep, p)
		case p.seq == seq && err == nil && (p.call != o.call || p.root != o.root || p.red != o.red):
			err = &MismatchError{Seq: seq, Rank: o.c.rank, Call: o.name(), Peer: int(p.src),
				PeerCall: callName(p.call, p.root, p.red), outer: true}
		}
	}
	clear(m.probes[len(keep):])
	m.probes = keep
	m.hasProbes.Store(len(keep) > 0)
	return err
}
