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
// Starting one takes the communicator's next sequence number, as a
// blocking collective does. Instance i of a communicator's non-blocking
// collectives then travels in lane i mod nbcLanes: a communicator of its
// own (its id derived from the parent's, so every rank agrees on it
// without a message) on which the instance's call has that sequence
// number. Collective frames are matched in order per (communicator,
// source), so two instances in one lane must not overlap on a rank: an
// instance starts once the one before it in its lane has ended on this
// rank, and until then its goroutine waits (the call itself never
// blocks). Instances in different lanes never match each other's frames,
// nor those of blocking collectives or point-to-point.
//
// A lane takes its parent's topology as the parent knows it when the
// instance starts (a node map set or learned, or none: flat), never by
// a message of its own, so every rank runs an instance with the same
// algorithm. A staged lane's node and leader (or peer) communicators have
// ids derived from the lane's, as the lane's from its parent's; the
// communicators of one role have disjoint ranks and share one id.
//
// A lane's calls carry callNonBlocking in their identity, and their
// probes and mismatch notices travel in the parent's terms (the parent's
// id, the instance's sequence number, the rank in the parent): ranks that
// start different non-blocking collectives at the same position, or a
// blocking collective against a non-blocking one, get a *MismatchError
// naming both (coll_probe.go).
const nbcLanes = 64

// The communicator ids of non-blocking collectives' lanes:
// nbcCidBase | parent/2 << nbcRoleShift+nbcLaneBits | lane << nbcRoleShift
// | role << 1. Every other id is below nbcCidBase (Split hands out ids
// upwards from firstCid), and bit 0 stays free for the task farm's id.
const (
	nbcCidBase   uint32 = 1 << 31
	nbcLaneBits         = 6 // nbcLanes == 1<<nbcLaneBits
	nbcRoleShift        = 3 // the role's two bits above the task farm's
	nbcMaxCid           = 1 << (32 - nbcRoleShift - nbcLaneBits)
)

// Roles of a lane's communicators.
const (
	nbcRoleLane    uint32 = iota // the lane itself
	nbcRoleNode                  // this rank's node in a staged lane (disjoint nodes share it)
	nbcRoleLeaders               // the nodes' leaders, or peers of one local index, in a staged lane (disjoint, as nodes)
)

// nbcState is a communicator's non-blocking collectives. Only the calls
// that start collectives touch it, and those are not made concurrently.
type nbcState struct {
	next  int64 // the next instance's number
	lanes [nbcLanes]nbcLane
}

type nbcLane struct {
	c     *Comm         // the lane's communicator, made on its first use
	topo  Topology      // the parent's topology c was made for
	nodes []int         // the parent's node map c was made for
	last  chan struct{} // closed once the lane's latest instance has ended
}

// nbcCid is the id of the communicator of role in lane of communicator cid.
func nbcCid(cid uint32, lane int, role uint32) (uint32, error) {
	if cid >= nbcMaxCid {
		return 0, fmt.Errorf("comm: communicator id %d is too large for non-blocking collectives", cid)
	}
	return nbcCidBase | cid>>1<<(nbcRoleShift+nbcLaneBits) | uint32(lane)<<nbcRoleShift | role<<1, nil
}

// isLane reports whether c is a lane of non-blocking collectives.
func (c *Comm) isLane() bool {
	return c.cid&nbcCidBase != 0 && c.cid>>1&(1<<(nbcRoleShift-1)-1) == nbcRoleLane
}

// familyCid is the id of the communicator whose sequence numbers c's calls
// take: its parent's for a lane, its own otherwise. A lane's ranks are its
// parent's.
func (c *Comm) familyCid() uint32 {
	if c.isLane() {
		return (c.cid &^ nbcCidBase) >> (nbcRoleShift + nbcLaneBits) << 1
	}
	return c.cid
}

// lane returns lane i of c, made (again) when c's topology has changed
// since it was last made.
func (c *Comm) lane(i int) (*nbcLane, error) {
	l := &c.nbc.lanes[i]
	if l.c != nil && l.topo == c.topo && sameNodes(l.nodes, c.nodes) {
		return l, nil
	}
	cid, err := nbcCid(c.cid, i, nbcRoleLane)
	if err != nil {
		return nil, err
	}
	members := make([]int, c.size)
	for r := range members {
		members[r] = r
	}
	lc := c.sub(cid, members)
	lc.hierKnown = true
	if c.topo == TopologyAuto && c.size >= 3 && c.nodes != nil {
		node, _ := nbcCid(c.cid, i, nbcRoleNode)
		peers, _ := nbcCid(c.cid, i, nbcRoleLeaders)
		if h := groupNodes(lc.nodes); h != nil {
			lc.makeStages(h, node, func(int) uint32 { return peers })
			lc.hier = h
		}
	}
	l.c, l.topo, l.nodes = lc, c.topo, c.nodes
	return l, nil
}

// sameNodes reports whether a and b are the same node map (not a copy).
func sameNodes(a, b []int) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0]) && (a == nil) == (b == nil)
}

// startColl starts the non-blocking collective name: run performs it with
// the blocking calls on the lane's communicator lc, on a goroutine of its
// own, and the returned request completes with run's error.
func (c *Comm) startColl(ctx context.Context, name string, run func(ctx context.Context, lc *Comm) error) *Request {
	// Completed in the background with an error and no message, as a
	// send under way (Request.waitSend).
	r := &Request{c: c, send: true, bg: true, status: noStatus}
	if err := c.mb.aborted(); err != nil {
		r.done, r.err = true, fmt.Errorf("comm: %s: %w", name, err)
		return r
	}
	if c.nbc == nil {
		c.nbc = &nbcState{}
	}
	l, err := c.lane(int(c.nbc.next % nbcLanes))
	if err != nil {
		r.done, r.err = true, fmt.Errorf("comm: %s: %w", name, err)
		return r
	}
	c.nbc.next++
	seq := c.seq
	c.seq++
	prev, done, lc := l.last, make(chan struct{}), l.c
	l.last = done
	r.w = &waiter{done: make(chan struct{}, 1)}
	go func() {
		defer close(done)
		err := waitLane(ctx, prev)
		if err == nil {
			// Each collective begins once: the instance's call has the
			// sequence number the start took.
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
