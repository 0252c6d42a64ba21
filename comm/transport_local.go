package comm

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
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
	mu       sync.Mutex     // serialises Start and Close
	handlers []atomic.Value // Handler of each rank, once started
	closed   []atomic.Bool
}

func newLocalTransports(n int) []*localTransport {
	w := &localWorld{handlers: make([]atomic.Value, n), closed: make([]atomic.Bool, n)}
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
	if t.w.handlers[t.rank].Load() != nil {
		return fmt.Errorf("comm: rank %d started twice", t.rank)
	}
	t.w.handlers[t.rank].Store(h)
	return nil
}

func (t *localTransport) Send(ctx context.Context, dst int, f Frame) error {
	if t.w.closed[dst].Load() {
		return &RankFailedError{Rank: dst, Reason: "exited; message not delivered"}
	}
	h, ok := t.w.handlers[dst].Load().(Handler)
	if !ok {
		return fmt.Errorf("comm: rank %d has not started", dst)
	}
	h.Deliver(f)
	return nil
}

func (t *localTransport) Close() error {
	t.w.mu.Lock()
	defer t.w.mu.Unlock()
	if t.w.closed[t.rank].Swap(true) {
		return nil
	}
	for r := range t.w.handlers {
		if h, ok := t.w.handlers[r].Load().(Handler); ok && r != t.rank {
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
	ts := newLocalTransports(n)
	proc.cells = newCells(n, ts[0].w.closed)
	comms := make([]*Comm, n)
	for i, t := range ts {
		c, err := newComm(t, proc)
		if err != nil {
			return nil, err
		}
		c.shared = true
		comms[i] = c
	}
	return comms, nil
}

func (t *localTransport) deliversDirectly() {}
