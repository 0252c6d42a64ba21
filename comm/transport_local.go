package comm

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/gorun-dev/gorun/comm/transport"
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

var _ transport.Transport = (*localTransport)(nil)

type localWorld struct {
	mu     sync.Mutex                  // serialises Start and Close
	peers  []atomic.Pointer[localPeer] // each rank's handler, once started
	closed []atomic.Bool
}

// localPeer is a started rank's handler; refuse is the same handler when it
// can refuse frames (a Comm's always can).
type localPeer struct {
	h      transport.Handler
	refuse transport.RefusingHandler
}

func newLocalTransports(n int) []*localTransport {
	w := &localWorld{peers: make([]atomic.Pointer[localPeer], n), closed: make([]atomic.Bool, n)}
	ts := make([]*localTransport, n)
	for i := range ts {
		ts[i] = &localTransport{w: w, rank: i}
	}
	return ts
}

func (t *localTransport) Rank() int { return t.rank }
func (t *localTransport) Size() int { return len(t.w.peers) }

func (t *localTransport) Start(h transport.Handler) error {
	t.w.mu.Lock()
	defer t.w.mu.Unlock()
	if t.w.peers[t.rank].Load() != nil {
		return fmt.Errorf("comm: rank %d started twice", t.rank)
	}
	p := &localPeer{h: h}
	p.refuse, _ = h.(transport.RefusingHandler)
	t.w.peers[t.rank].Store(p)
	return nil
}

// Send delivers f on the caller's goroutine. A peer that has aborted or
// left refuses it, and the error names the peer's recorded cause.
func (t *localTransport) Send(ctx context.Context, dst int, f transport.Frame) error {
	p := t.w.peers[dst].Load()
	if p == nil {
		return fmt.Errorf("comm: rank %d has not started", dst)
	}
	if p.refuse != nil {
		if cause := p.refuse.DeliverOrRefuse(f); cause != nil {
			return notDelivered(dst, cause)
		}
		return nil
	}
	if t.w.closed[dst].Load() {
		return notDelivered(dst, ErrClosed)
	}
	p.h.Deliver(f)
	return nil
}

// notDelivered is the error of a send refused by rank dst, which stopped
// for cause (which it wraps, so that a *MismatchError that stopped dst is
// found on the sender too).
func notDelivered(dst int, cause error) error {
	if errors.Is(cause, ErrClosed) {
		return &RankFailedError{Rank: dst, Reason: "exited; message not delivered"}
	}
	return &RankFailedError{Rank: dst, Reason: cause.Error() + "; message not delivered", Err: cause}
}

func (t *localTransport) Close() error {
	t.w.mu.Lock()
	defer t.w.mu.Unlock()
	if t.w.closed[t.rank].Swap(true) {
		return nil
	}
	for r := range t.w.peers {
		if p := t.w.peers[r].Load(); p != nil && r != t.rank {
			p.h.PeerClosed(t.rank)
		}
	}
	return nil
}

// NewWorld returns the n Comms of a goroutine world, one per rank. Each must
// be used by its own goroutine and closed when that rank is done. Run is
// the usual way to start a goroutine world.
func NewWorld(n int, opts ...WorldOption) ([]*Comm, error) {
	if n < 1 {
		return nil, fmt.Errorf("comm: world size %d < 1", n)
	}
	if err := checkWorldMemory(n); err != nil {
		return nil, err
	}
	var cfg worldConfig
	for _, o := range opts {
		o(&cfg)
	}
	proc := newProcess(n)
	ts := newLocalTransports(n)
	comms := make([]*Comm, n)
	for i, t := range ts {
		c, err := newComm(t, proc)
		if err != nil {
			return nil, err
		}
		c.messages = cfg.messagesOnly
		comms[i] = c
	}
	return comms, nil
}

func (t *localTransport) DeliversDirectly() {}
func (t *localTransport) SharesMemory()     {}

var (
	_ transport.DirectDelivery = (*localTransport)(nil)
	_ transport.SharedMemory   = (*localTransport)(nil)
)

// WorldOption configures a goroutine world (NewWorld, Run).
type WorldOption func(*worldConfig)

type worldConfig struct {
	messagesOnly bool
}

// MessagesOnly makes every collective of a goroutine world move messages
// through the goroutine transport, with the algorithms of a process world,
// instead of working in the ranks' shared memory (the default: a large
// numeric Allreduce reduced in place). It measures message passing against shared memory on the
// same program; Main sets it when GORUN_MESSAGES_ONLY=1. Shared and
// SharesMemory are unaffected.
func MessagesOnly() WorldOption { return func(c *worldConfig) { c.messagesOnly = true } }
