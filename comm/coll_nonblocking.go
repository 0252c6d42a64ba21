package comm

import (
	"context"
	"fmt"

	"github.com/gorun-dev/gorun/comm/transport"
)

// Non-blocking collectives (Ibarrier, Ibcast, Iallreduce, ...) follow
// MPI-3: every rank starts the collectives of a communicator in the same
// order, several may be outstanding, and each returns a *Request that
// Wait, Test, Waitall and the other calls on requests complete. Each runs
// the blocking algorithm on a goroutine of its own, so it progresses while
// the caller computes, whether or not anything waits on it.
//
// Instance i of a communicator's non-blocking collectives travels in lane
// i mod nbcLanes: a communicator of its own (its id derived from the
// parent's, so every rank agrees on it without a message) whose sequence
// number for that instance is i. Collective frames are matched in order
// per (communicator, source), so two instances in one lane must not
// overlap on a rank: an instance starts once the one before it in its
// lane has ended on this rank, and until then its goroutine waits (the
// call itself never blocks). Instances in different lanes never match each
// other's frames, nor those of blocking collectives or point-to-point.
//
// Every frame still carries the instance's number, operation and root, so
// ranks that start different non-blocking collectives at the same
// position get a *MismatchError naming both. A blocking collective on one
// rank never meets a non-blocking one on another (MPI forbids the pairing
// as well): it waits until its ctx ends.
const nbcLanes = 64

// nbcCidBase marks the communicator ids of non-blocking collectives' lanes:
// nbcCidBase | parent/2 << nbcLaneBits+1 | lane << 1. Every other id is
// below it (Split hands out ids upwards from firstCid).
const (
	nbcCidBase  uint32 = 1 << 31
	nbcLaneBits        = 6 // nbcLanes == 1<<nbcLaneBits
	nbcMaxCid          = 1 << (31 - nbcLaneBits)
)

// nbcState is a communicator's non-blocking collectives. Only the calls
// that start collectives touch it, and those are not made concurrently.
type nbcState struct {
	next  int64 // the next instance's number
	lanes [nbcLanes]nbcLane
}

type nbcLane struct {
	c    *Comm         // the lane's communicator, made on its first use
	last chan struct{} // closed once the lane's latest instance has ended
}

// nbcCid is the id of lane of communicator cid.
func nbcCid(cid uint32, lane int) (uint32, error) {
	if cid >= nbcMaxCid {
		return 0, fmt.Errorf("comm: communicator id %d is too large for non-blocking collectives", cid)
	}
	return nbcCidBase | cid>>1<<(nbcLaneBits+1) | uint32(lane)<<1, nil
}

// startColl starts the non-blocking collective name: run performs it with
// the blocking calls on the lane's communicator lc, on a goroutine of its
// own, and the returned request completes with run's error.
func (c *Comm) startColl(ctx context.Context, name string, run func(ctx context.Context, lc *Comm) error) *Request {
	r := &Request{c: c, bg: true, status: noStatus}
	if err := c.mb.aborted(); err != nil {
		r.done, r.err = true, fmt.Errorf("comm: %s: %w", name, err)
		return r
	}
	if c.nbc == nil {
		c.nbc = &nbcState{}
	}
	seq := c.nbc.next
	lane := int(seq % nbcLanes)
	l := &c.nbc.lanes[lane]
	if l.c == nil {
		cid, err := nbcCid(c.cid, lane)
		if err != nil {
			r.done, r.err = true, err
			return r
		}
		members := make([]int, c.size)
		for i := range members {
			members[i] = i
		}
		l.c = c.sub(cid, members)
	}
	c.nbc.next++
	prev, done, lc := l.last, make(chan struct{}), l.c
	l.last = done
	r.w = &waiter{done: make(chan struct{}, 1)}
	go func() {
		defer close(done)
		err := waitLane(ctx, prev)
		if err == nil {
			lc.seq = seq
			err = run(ctx, lc)
		}
		if err != nil {
			err = fmt.Errorf("comm: %s: %w", name, err)
		}
		r.w.complete(transport.Frame{}, err)
	}()
	return r
}

// waitLane waits until the instance before this one in its lane (prev,
// nil if none) has ended on this rank.
func waitLane(ctx context.Context, prev chan struct{}) error {
	if prev == nil {
		return nil
	}
	select {
	case <-prev:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// waitBackground is Wait for a request that a goroutine of its own
// completes (a non-blocking collective, a send in the background): when
// ctx ends first the operation goes on, and the request stays active.
// Once this rank's world has aborted, the operation is failing with the
// abort's cause (every receive of it fails at once), and Wait returns
// that cause rather than ctx's error, as a blocked receive does.
func (r *Request) waitBackground(ctx context.Context) (Status, error) {
	w := r.w
	if !w.completed() && w.state.CompareAndSwap(waitPending, waitParked) {
		select {
		case <-w.done:
		case <-ctx.Done():
			if r.c.mb.aborted() == nil && w.state.CompareAndSwap(waitParked, waitPending) {
				return noStatus, ctx.Err()
			}
			<-w.done // completed meanwhile, or failing with the abort
		}
	}
	r.finish(w.f, w.err)
	return r.status, r.err
}
