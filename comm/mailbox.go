package comm

import (
	"context"
	"sync"
	"sync/atomic"
)

// mailbox is one rank's matching engine: posted receives and the queue of
// unexpected frames, kept per (kind, communicator, source) so that a
// receive from a named source finds its frame at the head of one queue and
// AnySource picks the earliest arrival across sources (fair, in order).
type mailbox struct {
	rank, size int

	mu        sync.Mutex
	queues    map[qkey]*fifo
	posted    []*waiter
	arrivals  uint64
	closed    []bool // peers that left cleanly
	nClosed   int
	abortErr  error       // set once: every later wait fails with it
	isAborted atomic.Bool // abortErr != nil, readable without the lock
	spin      spinPolicy  // how a wait polls before it parks
}

type qkey struct {
	kind Kind
	ctx  uint32
	src  int32
}

type queued struct {
	f       Frame
	arrival uint64
}

type fifo struct {
	items []queued
	head  int
}

func (q *fifo) len() int { return len(q.items) - q.head }

// find returns the index of the first frame with tag (any tag when tag is
// AnyTag or the kind is collective), or -1.
func (q *fifo) find(kind Kind, tag int64) int {
	for i := q.head; i < len(q.items); i++ {
		if kind == KindColl || tag == AnyTag || q.items[i].f.Tag == tag {
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
	kind Kind
	ctx  uint32
	src  int32 // or AnySource
	tag  int64 // or AnyTag; ignored for collectives
	peek bool

	// state is waitPending until complete sets f and err and stores
	// waitDone; a waiter that gives up polling stores waitParked and blocks
	// on done, which complete then signals. A completion costs a channel
	// operation only when the receiver has parked.
	done  chan struct{} // capacity 1
	f     Frame
	err   error
	state atomic.Uint32
}

const (
	waitPending uint32 = iota
	waitDone
	waitParked
)

// waiters recycles the waiters of blocking receives, which never escape.
var waiters = sync.Pool{New: func() any { return &waiter{done: make(chan struct{}, 1)} }}

func getWaiter(kind Kind, cid uint32, src int32, tag int64) *waiter {
	w := waiters.Get().(*waiter)
	w.kind, w.ctx, w.src, w.tag, w.peek = kind, cid, src, tag, false
	w.state.Store(waitPending)
	return w
}

// putWaiter recycles w, which must have completed and been waited for.
func putWaiter(w *waiter) {
	w.f, w.err = Frame{}, nil
	waiters.Put(w)
}

func (w *waiter) matches(f *Frame) bool {
	return w.kind == f.Kind && w.ctx == f.Ctx &&
		(w.src == AnySource || w.src == f.Src) &&
		(w.kind == KindColl || w.tag == AnyTag || w.tag == f.Tag)
}

// complete sets the outcome of w and wakes its receiver. It is called once,
// with the mailbox lock held.
func (w *waiter) complete(f Frame, err error) {
	w.f, w.err = f, err
	if w.state.Swap(waitDone) == waitParked {
		w.done <- struct{}{}
	}
}

// completed reports whether complete has run; w.f and w.err are then set.
func (w *waiter) completed() bool { return w.state.Load() == waitDone }

func newMailbox(rank, size int) *mailbox {
	return &mailbox{rank: rank, size: size, queues: make(map[qkey]*fifo), closed: make([]bool, size)}
}

// deliver hands f to the first matching posted receive, or queues it.
func (m *mailbox) deliver(f Frame) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.abortErr != nil {
		return
	}
	for i := 0; i < len(m.posted); i++ {
		w := m.posted[i]
		if !w.matches(&f) {
			continue
		}
		m.posted = append(m.posted[:i], m.posted[i+1:]...)
		if w.peek {
			w.complete(Frame{Kind: f.Kind, Src: f.Src, Tag: f.Tag, Payload: f.Payload[:len(f.Payload):len(f.Payload)]}, nil)
			i--
			continue
		}
		w.complete(f, nil)
		return
	}
	k := qkey{f.Kind, f.Ctx, f.Src}
	q := m.queues[k]
	if q == nil {
		q = &fifo{}
		m.queues[k] = q
	}
	m.arrivals++
	q.items = append(q.items, queued{f: f, arrival: m.arrivals})
}

// lookup finds a queued frame for w, removing it unless w.peek.
// m.mu must be held.
func (m *mailbox) lookup(w *waiter) (Frame, bool) {
	if w.src != AnySource {
		q := m.queues[qkey{w.kind, w.ctx, w.src}]
		if q == nil {
			return Frame{}, false
		}
		i := q.find(w.kind, w.tag)
		if i < 0 {
			return Frame{}, false
		}
		if w.peek {
			return q.items[i].f, true
		}
		return q.take(i).f, true
	}
	var best *fifo
	bestIdx := -1
	for k, q := range m.queues {
		if k.kind != w.kind || k.ctx != w.ctx {
			continue
		}
		if i := q.find(w.kind, w.tag); i >= 0 && (best == nil || q.items[i].arrival < best.items[bestIdx].arrival) {
			best, bestIdx = q, i
		}
	}
	if best == nil {
		return Frame{}, false
	}
	if w.peek {
		return best.items[bestIdx].f, true
	}
	return best.take(bestIdx).f, true
}

// post returns a completed waiter if a frame is queued (or the wait can
// never succeed), else registers w.
func (m *mailbox) post(w *waiter) {
	if w.done == nil {
		w.done = make(chan struct{}, 1)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if f, ok := m.lookup(w); ok {
		w.complete(f, nil)
		return
	}
	if err := m.unreachable(w); err != nil {
		w.complete(Frame{}, err)
		return
	}
	m.posted = append(m.posted, w)
}

// try is a non-blocking post: it reports whether a frame was found.
func (m *mailbox) try(w *waiter) (Frame, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f, ok := m.lookup(w); ok {
		return f, true, nil
	}
	return Frame{}, false, m.unreachable(w)
}

// unreachable says why w can never be satisfied, or nil. m.mu must be held.
func (m *mailbox) unreachable(w *waiter) error {
	if m.abortErr != nil {
		return m.abortErr
	}
	if w.src != AnySource {
		if int(w.src) != m.rank && m.closed[w.src] {
			return &RankFailedError{Rank: int(w.src), Reason: "exited before sending the awaited message"}
		}
		return nil
	}
	// Only user receives: the task farm's dispatcher on rank 0 also hears
	// from rank 0's own worker after every other rank has gone.
	if m.nClosed == m.size-1 && m.size > 1 && w.ctx == ctxWorld {
		return &RankFailedError{Rank: -1, Reason: "every other rank has exited"}
	}
	return nil
}

// wait blocks until w completes or ctx ends.
func (m *mailbox) wait(ctx context.Context, w *waiter) (Frame, error) {
	if w.completed() || m.spin.polls() && m.spin.poll(w) {
		return w.f, w.err
	}
	if !w.state.CompareAndSwap(waitPending, waitParked) {
		return w.f, w.err // completed since the last poll
	}
	select {
	case <-w.done:
	case <-ctx.Done():
		m.mu.Lock()
		for i, p := range m.posted {
			if p == w {
				m.posted = append(m.posted[:i], m.posted[i+1:]...)
				m.mu.Unlock()
				return Frame{}, ctx.Err()
			}
		}
		m.mu.Unlock()
		<-w.done // completed concurrently: keep the frame, nothing is lost
	}
	return w.f, w.err
}

// cancel withdraws a posted waiter; it reports false if it already completed.
func (m *mailbox) cancel(w *waiter) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, p := range m.posted {
		if p == w {
			m.posted = append(m.posted[:i], m.posted[i+1:]...)
			return true
		}
	}
	return false
}

// peerClosed records that rank left cleanly and fails the waits it can no
// longer satisfy.
func (m *mailbox) peerClosed(rank int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if rank < 0 || rank >= m.size || m.closed[rank] {
		return
	}
	m.closed[rank] = true
	m.nClosed++
	kept := m.posted[:0]
	for _, w := range m.posted {
		if err := m.unreachable(w); err != nil {
			w.complete(Frame{}, err)
			continue
		}
		kept = append(kept, w)
	}
	clear(m.posted[len(kept):])
	m.posted = kept
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
	for _, w := range m.posted {
		w.complete(Frame{}, err)
	}
	m.posted = nil
	m.queues = make(map[qkey]*fifo)
}

func (m *mailbox) aborted() error {
	if !m.isAborted.Load() {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.abortErr
}
