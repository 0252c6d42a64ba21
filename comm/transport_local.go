package comm

import (
	"context"
	"fmt"
	"sync"
)

// localTransport connects the goroutine ranks of one process. A send hands
// the frame straight to the receiver's handler (the mailbox wakes a waiting
// receiver through its channel), so a hop costs one lock and one channel
// wake-up. The payload was freshly encoded by the sender and is owned by
// the receiver from then on: ranks share nothing they did not ask to share.
type localTransport struct {
	w    *localWorld
	rank int
}

var _ Transport = (*localTransport)(nil)

type localWorld struct {
	mu       sync.RWMutex
	handlers []Handler
	closed   []bool
}

func newLocalTransports(n int) []*localTransport {
	w := &localWorld{handlers: make([]Handler, n), closed: make([]bool, n)}
	ts := make([]*localTransport, n)
	for i := range ts {
		ts[i] = &localTransport{w: w, rank: i}
	}
	return ts
}

func (t *localTransport) Rank() int { return t.rank }
func (t *localTransport) Size() int { return len(t.w.handlers) }

func (t *localTransport) Start(h Handler) error {
	t.w.mu.Lock()
	defer t.w.mu.Unlock()
	if t.w.handlers[t.rank] != nil {
		return fmt.Errorf("comm: rank %d started twice", t.rank)
	}
	t.w.handlers[t.rank] = h
	return nil
}

func (t *localTransport) Send(ctx context.Context, dst int, f Frame) error {
	t.w.mu.RLock()
	h, closed := t.w.handlers[dst], t.w.closed[dst]
	t.w.mu.RUnlock()
	if closed {
		return &RankFailedError{Rank: dst, Reason: "exited; message not delivered"}
	}
	if h == nil {
		return fmt.Errorf("comm: rank %d has not started", dst)
	}
	h.Deliver(f)
	return nil
}

func (t *localTransport) Close() error {
	t.w.mu.Lock()
	if t.w.closed[t.rank] {
		t.w.mu.Unlock()
		return nil
	}
	t.w.closed[t.rank] = true
	hs := append([]Handler(nil), t.w.handlers...)
	t.w.mu.Unlock()
	for r, h := range hs {
		if r != t.rank && h != nil {
			h.PeerClosed(t.rank)
		}
	}
	return nil
}

// NewWorld returns the n Comms of a goroutine world, one per rank. Each must
// be used by its own goroutine and closed when that rank is done. Run is
// the usual way to start a goroutine world.
func NewWorld(n int) ([]*Comm, error) {
	if n < 1 {
		return nil, fmt.Errorf("comm: world size %d < 1", n)
	}
	proc := newProcess()
	comms := make([]*Comm, n)
	for i, t := range newLocalTransports(n) {
		c, err := newComm(t, proc)
		if err != nil {
			return nil, err
		}
		comms[i] = c
	}
	return comms, nil
}
