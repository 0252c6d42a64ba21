package natstransport

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Credit-based flow control of the NATS transport.
//
// A sender may have at most window bytes (NATS message sizes, prefix
// included) sent but not yet acknowledged towards one destination. The
// receiving transport acknowledges bytes once it has handed them over (to
// the Handler, or into a reassembly buffer), in grants of window/4, so
// small messages never wait for a round trip. Both the server's outbound
// queue and the receiving client's pending queue therefore stay below
// (size-1)*window per rank, and no slow-consumer cut-off can drop data.
const (
	natsMaxWindow      = 32 << 20  // per destination, for small worlds
	natsMinWindow      = 2 << 20   // per destination, for huge worlds
	natsReceiverBudget = 192 << 20 // total in flight towards one rank
)

// natsMaxMsgs bounds the NATS messages in flight to one destination, as
// the window bounds their bytes: each message costs window/natsMaxMsgs of
// credit beyond its size. The bus spends its time per message as much as
// per byte; without this a flood of tiny messages would queue hundreds of
// thousands of them (and a PING behind them) on a loaded machine. Past
// the limit small frames are batched (send.go).
const natsMaxMsgs = 256

// cost is the credit one NATS message of size bytes takes.
func (t *Transport) cost(size int) int64 { return int64(size) + t.msgOverhead }

// natsPingInterval and natsMaxPingsOut: a rank declares the bus dead
// after this many unanswered pings, one every interval, about 20 s. A
// killed server is noticed at once (the socket closes) and a lost host by
// the agents' heartbeats; this only bounds a hung server, and must allow
// for a PING queued behind a full window of data, and for a race-detector
// build on an overloaded machine, where 5 s without a PONG was seen.
const (
	natsPingInterval = 2 * time.Second
	natsMaxPingsOut  = 10
)

// natsWindowOverride replaces the window when > 0 (for tests).
var natsWindowOverride int64

// natsWindow is the credit window per destination in a world of size ranks.
func natsWindow(size int) int64 {
	if natsWindowOverride > 0 {
		return natsWindowOverride
	}
	w := int64(natsMaxWindow)
	if size > 1 {
		w = min(w, natsReceiverBudget/int64(size-1))
	}
	return max(w, natsMinWindow)
}

// natsPeer is the sending side towards one destination rank.
type natsPeer struct {
	// large is held while a large frame goes out chunk by chunk, so that
	// two large frames never interleave.
	large sync.Mutex

	// pub orders publishing to the destination with seq, the number of
	// the last message published to it (seq.go).
	pub sync.Mutex
	seq uint32

	mu       sync.Mutex
	inflight int64         // credit taken and not yet granted back
	failed   error         // the destination is gone: no credit will come
	changed  chan struct{} // closed and replaced on every change below

	// Small frames that found the window full wait here, packed into one
	// NATS message, for the flusher goroutine (flushing) to send.
	batch, spare []byte
	batchN       int
	flushing     bool

	// Sends queued behind a background send (queue.go): the first is
	// under way on the queue's goroutine, which closes qidle once the
	// queue is empty. queued is len(queue), read without qmu.
	qmu    sync.Mutex
	queue  []*queuedSend
	qidle  chan struct{}
	queued atomic.Int32

	sent   atomic.Int64 // payload bytes sent to this destination (SentBytes)
	routed routed       // bytes sent under the route's budget (route.go)
}

func (p *natsPeer) init() { p.changed = make(chan struct{}) }

// broadcast wakes every waiter. p.mu must be held.
func (p *natsPeer) broadcast() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// waitLocked releases p.mu until the peer's state changes, ctx ends or
// done is closed (the transport closed or failed: doneErr says why).
func (p *natsPeer) waitLocked(ctx context.Context, done <-chan struct{}, doneErr func() error) error {
	return waitChange(ctx, &p.mu, p.changed, done, doneErr)
}

// waitChange releases mu, which must be held, until changed is closed,
// ctx ends or done is closed (doneErr says why), and takes mu again.
func waitChange(ctx context.Context, mu *sync.Mutex, changed, done <-chan struct{}, doneErr func() error) error {
	mu.Unlock()
	defer mu.Lock()
	select {
	case <-changed:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-done:
		return doneErr()
	}
}

// fits reports whether cost more credit may be taken now. p.mu must be held.
func (p *natsPeer) fits(cost, window int64) bool {
	return p.inflight+cost <= window || p.inflight == 0
}

// acquireLocked waits until cost more credit fits, then takes it.
// p.mu must be held; it is held again on return.
func (p *natsPeer) acquireLocked(ctx context.Context, cost, window int64, done <-chan struct{}, doneErr func() error) error {
	for {
		if p.failed != nil {
			return p.failed
		}
		if p.fits(cost, window) {
			p.inflight += cost
			return nil
		}
		if err := p.waitLocked(ctx, done, doneErr); err != nil {
			return err
		}
	}
}

// grant returns n bytes of credit from the receiver (or credit taken for
// a message that was never sent).
func (p *natsPeer) grant(n int64) {
	p.mu.Lock()
	p.inflight = max(p.inflight-n, 0)
	p.broadcast()
	p.mu.Unlock()
}

// fail marks the destination as gone: waiting senders give up and frames
// still batched for it are dropped (nobody would read them).
func (p *natsPeer) fail(err error) {
	p.mu.Lock()
	if p.failed == nil {
		p.failed = err
	}
	p.batch, p.batchN = p.batch[:0], 0
	p.broadcast()
	p.mu.Unlock()
}
