package comm

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorun-dev/gorun/comm/transport"
)

// mailbox is one rank's matching engine: posted receives and the queue of
// unexpected frames, kept per (kind, communicator, source) so that a
// receive from a named source finds its frame at the head of one queue and
// AnySource picks the earliest arrival across sources (fair, in order).
//
// The fields are grouped by cache line (the struct is a multiple of 64 bytes,
// so the allocator aligns it): first what a sender takes and reads on every
// message it queues, then what it reads and seldom changes, then the
// receiver's own polling state, and last the lock-free hand-off's line.
type mailbox struct {
	mu     spinMutex
	posted postedList
	_      [64 - 8 - 56]byte

	abortErr error     // set once: every later wait fails with it
	world    [2][]fifo // queues of the world communicator by kind-1 and source: no hashing

	queues   map[qkey]*fifo // the other communicators' queues
	arrivals uint64
	closed   []uint64 // peers that left cleanly: a bit per rank
	nClosed  int
	rank     int
	size     int

	isAborted atomic.Bool   // abortErr != nil, readable without the lock
	spin      spinPolicy    // how a wait polls before it parks
	slotErr   error         // the hand-off receive's failure (see handoff)
	slotWake  chan struct{} // capacity 1: wakes a receiver parked on the hand-off
	subs      *subTable     // sub-communicators' members (split.go); nil before the first

	slot handoff // one cache line

	// Probes of peers stalled in a collective (coll_probe.go).
	probes     []probe // under mu
	hasProbes  atomic.Bool
	collParked atomic.Int32                  // collective waits parked now
	collWake   atomic.Pointer[chan struct{}] // closed and replaced by a probe: wakes every one of them
	_          [64 - 40]byte
}

type qkey struct {
	kind transport.Kind
	comm uint32
	src  int32
}

type queued struct {
	f       transport.Frame
	arrival uint64
}

type fifo struct {
	items []queued
	head  int
}

func (q *fifo) len() int { return len(q.items) - q.head }

// find returns the index of the first frame with tag (any tag when tag is
// AnyTag or the kind is collective), or -1.
func (q *fifo) find(kind transport.Kind, tag int64) int {
	for i := q.head; i < len(q.items); i++ {
		if kind == transport.KindColl || tag == AnyTag || q.items[i].f.Tag == tag {
			return i
		}
	}
	return -1
}

func (q *fifo) take(i int) queued {
	it := q.items[i]
	if i == q.head {
		q.items[i] = queued{}
		q.head++
		if q.head == len(q.items) {
			q.items, q.head = q.items[:0], 0
		} else if q.head > 1024 && q.head*2 > len(q.items) {
			n := copy(q.items, q.items[q.head:])
			clear(q.items[n:])
			q.items, q.head = q.items[:n], 0
		}
		return it
	}
	copy(q.items[i:], q.items[i+1:])
	q.items[len(q.items)-1] = queued{}
	q.items = q.items[:len(q.items)-1]
	return it
}

// waiter is a posted receive (or probe, which does not consume).
type waiter struct {
	kind transport.Kind
	comm uint32
	src  int32 // or AnySource
	tag  int64 // or AnyTag; ignored for collectives
	peek bool
	want uint8 // the codecs a receive accepts (see fits); codecAny for all

	// state is waitPending until complete sets f and err and stores
	// waitDone; a waiter that gives up polling stores waitParked and blocks
	// on done, which complete then signals. A completion costs a channel
	// operation only when the receiver has parked.
	done  chan struct{} // capacity 1
	f     transport.Frame
	err   error
	state atomic.Uint32
	slot  *mailbox // the mailbox whose hand-off holds w until it completes
}

const (
	waitPending uint32 = iota
	waitDone
	waitParked
)

// waiters recycles the waiters of blocking receives, which never escape.
var waiters = sync.Pool{New: func() any { return &waiter{done: make(chan struct{}, 1)} }}

func getWaiter(kind transport.Kind, cid uint32, src int32, tag int64) *waiter {
	w := waiters.Get().(*waiter)
	w.kind, w.comm, w.src, w.tag, w.peek, w.want = kind, cid, src, tag, false, codecAny
	w.state.Store(waitPending)
	return w
}

// putWaiter recycles w, which must have completed and been waited for.
func putWaiter(w *waiter) {
	w.f, w.err, w.slot = transport.Frame{}, nil, nil
	waiters.Put(w)
}

// complete sets the outcome of w and wakes its receiver. It is called once,
// by whoever took w off the posted list (under the mailbox lock), with or
// without the lock still held.
func (w *waiter) complete(f transport.Frame, err error) {
	w.f, w.err = f, err
	if w.state.Swap(waitDone) == waitParked {
		w.done <- struct{}{}
	}
}

// completed reports whether w has completed; w.f and w.err are then set. A
// receive posted on the hand-off is taken from it here, so only the
// receiver calls completed.
func (w *waiter) completed() bool {
	if w.slot != nil {
		return w.slot.takeSlot(w)
	}
	return w.state.Load() == waitDone
}

// maxDenseRanks is the largest world whose mailboxes index the world's
// queues by source in slices (no hashing). Those cost 64 bytes per source
// on every rank, n² in a goroutine world of n ranks; a larger world keeps
// them in the map, made per source on its first frame, so memory grows
// with the pairs of ranks that exchange messages, not with n².
const maxDenseRanks = 1024

func newMailbox(rank, size int) *mailbox {
	m := &mailbox{rank: rank, size: size, queues: make(map[qkey]*fifo), closed: make([]uint64, (size+63)/64),
		slotWake: make(chan struct{}, 1)}
	wake := make(chan struct{})
	m.collWake.Store(&wake)
	if size <= maxDenseRanks {
		m.world = [2][]fifo{make([]fifo, size), make([]fifo, size)}
	}
	return m
}

// deliver hands f to the first matching posted receive, or queues it. Once
// the mailbox has aborted (or closed) it drops f and returns the abort
// cause. The hand-off receive, the oldest, is offered f first without the
// lock. A receive on the list is taken off it under the lock and completed
// after it: the completion writes the waiter, a line the receiver is
// polling, and a lock held across that transfer is a lock the receiver's
// next post spins on.
func (m *mailbox) deliver(f transport.Frame) error {
	if f.Comm >= firstCid && !m.fromGroup(&f) {
		return nil // kept until this rank makes the communicator
	}
	if f.Arg <= argMismatch && f.Kind == transport.KindColl && m.control(&f) {
		return nil
	}
	if m.offerSlot(&f) {
		return nil
	}
	m.mu.Lock()
	if err := m.abortErr; err != nil {
		m.mu.Unlock()
		return err
	}
	if m.offerSlot(&f) { // posted since the look without the lock
		m.mu.Unlock()
		return nil
	}
	m.refuseSlot(&f)
	if w := m.matchPosted(&f); w != nil {
		m.mu.Unlock()
		w.complete(f, nil)
		return nil
	}
	m.enqueue(&f)
	m.mu.Unlock()
	return nil
}

// matchPosted takes f to the posted list: it completes the probes f
// matches and fails the receives it matches but does not fit (f is not
// consumed by them), up to the first receive that takes f, which it
// removes and returns without completing it; nil if none does. m.mu must
// be held.
func (m *mailbox) matchPosted(f *transport.Frame) *waiter {
	for i := 0; i < m.posted.len(); i++ {
		p := m.posted.at(i)
		if !p.matches(f) {
			continue
		}
		w, want := p.w, p.want
		m.posted.removeAt(i)
		if !fits(want, f.Codec) { // fails the receive, not consumed by it
			w.complete(transport.Frame{}, wrongTypeOf(f))
			i--
			continue
		}
		if w.peek {
			w.complete(transport.Frame{Kind: f.Kind, Codec: f.Codec, Src: f.Src, Tag: f.Tag, Payload: f.Payload[:len(f.Payload):len(f.Payload)]}, nil)
			i--
			continue
		}
		return w
	}
	return nil
}

// enqueue queues f, which no posted receive takes. m.mu must be held.
func (m *mailbox) enqueue(f *transport.Frame) {
	q := m.queue(f.Kind, f.Comm, f.Src, true)
	m.arrivals++
	q.items = append(q.items, queued{f: *f, arrival: m.arrivals})
}

// control acts on a collective control frame, a peer's mismatch notice
// (the mailbox aborts) or probe (kept for the rank's calls to check), and
// reports whether f was one: such a frame is never a call's data.
func (m *mailbox) control(f *transport.Frame) bool {
	if e, ok := mismatchNotice(f); ok {
		m.abort(e)
		return true
	}
	if f.Arg == argProbe {
		m.addProbe(f)
		return true
	}
	return false
}

// queue returns the queue of frames of kind from src in communicator cid,
// making it when create is set (else nil if there is none). m.mu must be
// held.
func (m *mailbox) queue(kind transport.Kind, cid uint32, src int32, create bool) *fifo {
	if cid == commWorld && m.world[0] != nil && (kind == transport.KindP2P || kind == transport.KindColl) && src >= 0 && int(src) < m.size {
		return &m.world[kind-1][src]
	}
	k := qkey{kind, cid, src}
	q := m.queues[k]
	if q == nil && create {
		q = &fifo{}
		m.queues[k] = q
	}
	return q
}

// lookup finds a queued frame for w, removing it unless w.peek or it does
// not fit w (then err says so). m.mu must be held.
func (m *mailbox) lookup(w *waiter) (transport.Frame, bool, error) {
	if w.src != AnySource {
		q := m.queue(w.kind, w.comm, w.src, false)
		if q == nil {
			return transport.Frame{}, false, nil
		}
		i := q.find(w.kind, w.tag)
		if i < 0 {
			return transport.Frame{}, false, nil
		}
		return lookedUp(w, q, i)
	}
	var best *fifo
	bestIdx := -1
	consider := func(q *fifo) {
		if i := q.find(w.kind, w.tag); i >= 0 && (best == nil || q.items[i].arrival < best.items[bestIdx].arrival) {
			best, bestIdx = q, i
		}
	}
	if w.comm == commWorld && m.world[0] != nil {
		for i := range m.world[w.kind-1] {
			consider(&m.world[w.kind-1][i])
		}
	} else {
		for k, q := range m.queues {
			if k.kind == w.kind && k.comm == w.comm {
				consider(q)
			}
		}
	}
	if best == nil {
		return transport.Frame{}, false, nil
	}
	return lookedUp(w, best, bestIdx)
}

// lookedUp is lookup's outcome for the frame at q.items[i].
func lookedUp(w *waiter, q *fifo, i int) (transport.Frame, bool, error) {
	f := &q.items[i].f
	if !fits(w.want, f.Codec) {
		return transport.Frame{}, true, wrongTypeOf(f)
	}
	if w.peek {
		return *f, true, nil
	}
	return q.take(i).f, true, nil
}

func wrongTypeOf(f *transport.Frame) error {
	return &wrongType{codec: f.Codec, src: f.Src, tag: f.Tag, bytes: len(f.Payload)}
}

// post returns a completed waiter if a frame is queued (or the wait can
// never succeed), else registers w.
func (m *mailbox) post(w *waiter) {
	if w.done == nil {
		w.done = make(chan struct{}, 1)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if f, ok, err := m.lookup(w); ok {
		w.complete(f, err)
		return
	}
	if err := m.unreachable(w); err != nil {
		w.complete(transport.Frame{}, err)
		return
	}
	if m.canPostSlot(w) {
		m.postSlot(w)
		return
	}
	m.posted.add(w)
}

// try is a non-blocking post: it reports whether a frame was found.
func (m *mailbox) try(w *waiter) (transport.Frame, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f, ok, err := m.lookup(w); ok {
		return f, err == nil, err
	}
	return transport.Frame{}, false, m.unreachable(w)
}

// unreachable says why w can never be satisfied, or nil. m.mu must be held.
func (m *mailbox) unreachable(w *waiter) error {
	if m.abortErr != nil {
		return m.abortErr
	}
	if w.src != AnySource {
		if src := m.worldRank(w.comm, w.src); int(src) != m.rank && m.isClosed(int(src)) {
			return &RankFailedError{Rank: int(w.src), Reason: "exited before sending the awaited message"}
		}
		return nil
	}
	// Only user receives: the task farm's dispatcher on rank 0 also hears
	// from rank 0's own worker after every other rank has gone.
	if m.nClosed == m.size-1 && m.size > 1 && w.comm == commWorld {
		return errNoPeers
	}
	if w.comm >= firstCid && w.comm&1 == 0 && m.othersClosed(m.group(w.comm)) {
		return errNoPeers
	}
	return nil
}

// othersClosed reports whether every rank of group but this one has left
// (false for a group of this rank alone). m.mu must be held.
func (m *mailbox) othersClosed(group []int32) bool {
	if len(group) < 2 {
		return false
	}
	for _, r := range group {
		if int(r) != m.rank && !m.isClosed(int(r)) {
			return false
		}
	}
	return true
}

var errNoPeers = fmt.Errorf("%w before sending the awaited message (%w)", ErrNoPeers, ErrAborted)

// wait blocks until w completes or ctx ends.
func (m *mailbox) wait(ctx context.Context, w *waiter) (transport.Frame, error) {
	return m.waitWatching(ctx, w, nil, 0)
}

// waitWatching is wait for a collective's receive (k not nil, waiting for
// src): once parked it also checks the probes of stalled peers, and probes
// src itself once it has been parked for stallProbe (coll_probe.go).
// However the wait ends, a frame that completed w first is kept: nothing
// is lost.
func (m *mailbox) waitWatching(ctx context.Context, w *waiter, k *coll, src int) (transport.Frame, error) {
	if w.completed() || m.spin.polls() && m.spin.poll(w) {
		return w.f, w.err
	}
	if w.slot != nil {
		return m.waitSlot(ctx, w)
	}
	if !w.state.CompareAndSwap(waitPending, waitParked) {
		return w.f, w.err // completed since the last poll
	}
	var probed <-chan struct{}
	var stall <-chan time.Time
	if k != nil {
		m.collParked.Add(1)
		defer m.collParked.Add(-1)
		probed = *m.collWake.Load() // before the check: a later probe closes it
		if err := k.checkProbes(); err != nil {
			return m.giveUp(w, err)
		}
		t := time.NewTimer(stallProbe)
		defer t.Stop()
		stall = t.C
	}
	parkedAt := time.Now()
	for {
		select {
		case <-w.done:
			if w.err != nil && errors.Is(w.err, ErrAborted) {
				return w.f, w.blocked(time.Since(parkedAt), w.err)
			}
			return w.f, w.err
		case <-ctx.Done():
			return m.giveUp(w, ctx.Err())
		case <-probed:
			probed = *m.collWake.Load()
			if err := k.checkProbes(); err != nil {
				return m.giveUp(w, err)
			}
		case <-stall:
			stall = nil
			k.sendProbe(src)
		}
	}
}

// blocked wraps the abort err that ended w's parked wait of d with what
// w was waiting for: with every rank's error, a deadlock report.
func (w *waiter) blocked(d time.Duration, err error) error {
	from := "any rank"
	if w.src != AnySource {
		from = "rank " + strconv.Itoa(int(w.src))
	}
	what := "a message from " + from
	switch {
	case w.kind != transport.KindP2P:
		what = "a collective's message from " + from
	case w.tag != AnyTag:
		what += " with tag " + strconv.FormatInt(w.tag, 10)
	}
	return fmt.Errorf("comm: blocked %.1fs waiting for %s: %w", d.Seconds(), what, err)
}

// giveUp withdraws the parked receive w and returns err, or w's frame if
// a sender matched it first.
func (m *mailbox) giveUp(w *waiter, err error) (transport.Frame, error) {
	m.mu.Lock()
	withdrawn := m.posted.remove(w)
	m.mu.Unlock()
	if withdrawn {
		return transport.Frame{}, err
	}
	<-w.done // completed concurrently
	return w.f, w.err
}

// cancel withdraws a posted waiter; it reports false if it was already
// matched, and then returns only once its completion is written, so that the
// caller may read or recycle it.
func (m *mailbox) cancel(w *waiter) bool {
	if w.slot != nil {
		return m.cancelSlot(w)
	}
	m.mu.Lock()
	withdrawn := m.posted.remove(w)
	m.mu.Unlock()
	for !withdrawn && !w.completed() {
		runtime.Gosched() // a sender is between matching and completing it
	}
	return withdrawn
}

// isClosed reports whether rank left cleanly. m.mu must be held.
func (m *mailbox) isClosed(rank int) bool { return m.closed[rank/64]&(1<<(rank%64)) != 0 }

// peerClosed records that rank left cleanly and fails the waits it can no
// longer satisfy.
func (m *mailbox) peerClosed(rank int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if rank < 0 || rank >= m.size || m.isClosed(rank) {
		return
	}
	m.closed[rank/64] |= 1 << (rank % 64)
	m.nClosed++
	m.failSlot(m.unreachable)
	m.posted.keep(func(w *waiter) bool {
		if err := m.unreachable(w); err != nil {
			w.complete(transport.Frame{}, err)
			return false
		}
		return true
	})
}

// abort fails every current and future wait with err (first abort wins).
func (m *mailbox) abort(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.abortErr != nil {
		return
	}
	m.abortErr = err
	m.isAborted.Store(true)
	m.failSlot(func(*waiter) error { return err })
	m.posted.keep(func(w *waiter) bool {
		w.complete(transport.Frame{}, err)
		return false
	})
	m.queues = make(map[qkey]*fifo)
	for i := range m.world {
		clear(m.world[i])
	}
}

func (m *mailbox) aborted() error {
	if !m.isAborted.Load() {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.abortErr
}

// subTable holds, by id, the sub-communicators a rank has made, and the
// frames of those it has not made yet.
type subTable struct {
	groups map[uint32]subGroup
	early  map[uint32][]transport.Frame
}

type subGroup struct {
	world []int32         // world rank of each rank
	index map[int32]int32 // rank of each world rank
}

// group is the world ranks of sub-communicator cid, or nil. m.mu must be
// held.
func (m *mailbox) group(cid uint32) []int32 {
	if m.subs == nil {
		return nil
	}
	return m.subs.groups[cid].world
}

// setGroup records the world ranks of sub-communicator cid, and queues
// the frames of cid that arrived before it; a probe or mismatch notice
// among them is acted on as deliver does.
func (m *mailbox) setGroup(cid uint32, group []int32) {
	var control []transport.Frame
	defer func() {
		for i := range control {
			m.control(&control[i])
		}
	}()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.subs == nil {
		m.subs = &subTable{groups: make(map[uint32]subGroup), early: make(map[uint32][]transport.Frame)}
	}
	index := make(map[int32]int32, len(group))
	for r, w := range group {
		index[w] = int32(r)
	}
	m.subs.groups[cid] = subGroup{world: group, index: index}
	for _, f := range m.subs.early[cid] {
		// No receive can be posted on cid yet: queue them in order.
		f.Src = index[f.Src]
		if f.Kind == transport.KindColl && (f.Arg == argMismatch || f.Arg == argProbe) {
			control = append(control, f) // after the unlock: it takes the lock
			continue
		}
		q := m.queue(f.Kind, f.Comm, f.Src, true)
		m.arrivals++
		q.items = append(q.items, queued{f: f, arrival: m.arrivals})
	}
	delete(m.subs.early, cid)
}

// fromGroup turns the world rank that sent f, a frame of a
// sub-communicator, into its rank there (a sub-communicator's frames
// travel with their world source, which the transports key their
// per-sender state on), or keeps f for setGroup and reports false when
// this rank has not made that communicator yet.
func (m *mailbox) fromGroup(f *transport.Frame) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.subs == nil {
		m.subs = &subTable{groups: make(map[uint32]subGroup), early: make(map[uint32][]transport.Frame)}
	}
	cid := f.Comm &^ 1
	index := m.subs.groups[cid].index
	if index == nil {
		if m.abortErr == nil {
			m.subs.early[cid] = append(m.subs.early[cid], *f)
		}
		return false
	}
	if r, ok := index[f.Src]; ok {
		f.Src = r
	}
	return true
}

// worldRank is the world rank of rank src of communicator cid (its task
// farm's id included). m.mu must be held.
func (m *mailbox) worldRank(cid uint32, src int32) int32 {
	if cid >= firstCid {
		if g := m.group(cid &^ 1); g != nil && int(src) < len(g) {
			return g[src]
		}
	}
	return src
}
