package comm

import (
	"context"
	"sync"
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

// natsMsgOverhead is what one NATS message costs in credit beyond its
// bytes. The bus spends about as long on a message as on a kilobyte of
// payload, so charging it bounds the time a flood of tiny messages (and a
// PING queued behind them) spends in flight, not just their bytes.
const natsMsgOverhead = 1024

// natsCost is the credit one NATS message of size bytes takes.
func natsCost(size int) int64 { return int64(size) + natsMsgOverhead }

// natsMaxPingsOut: a rank declares the bus dead after this many
// unanswered pings, one a second. A killed server is noticed at once
// (the socket closes); this only bounds a hung one, and must allow for a
// PING queued behind a full window of data on a loaded machine.
const natsMaxPingsOut = 5

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
	// send is held while one whole frame goes out, so the chunks of two
	// frames never interleave and frames keep their order.
	send sync.Mutex

	mu       sync.Mutex
	inflight int64 // bytes sent and not yet granted back
	failed   error // the destination is gone: no credit will come
	wake     chan struct{}
}

func (p *natsPeer) init() { p.wake = make(chan struct{}, 1) }

// acquire waits until n more bytes fit into the window, then takes them.
// It gives up when ctx ends, the destination failed, or done is closed
// (the transport closed or lost its connection; doneErr says why).
func (p *natsPeer) acquire(ctx context.Context, n, window int64, done <-chan struct{}, doneErr func() error) error {
	for {
		p.mu.Lock()
		if p.failed != nil {
			err := p.failed
			p.mu.Unlock()
			return err
		}
		if p.inflight+n <= window || p.inflight == 0 {
			p.inflight += n
			p.mu.Unlock()
			return nil
		}
		p.mu.Unlock()
		select {
		case <-p.wake:
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-done:
			return doneErr()
		}
	}
}

// release gives back bytes that were taken but never sent.
func (p *natsPeer) release(n int64) { p.grant(n) }

// grant returns n bytes of credit from the receiver.
func (p *natsPeer) grant(n int64) {
	p.mu.Lock()
	p.inflight = max(p.inflight-n, 0)
	p.mu.Unlock()
	p.signal()
}

// fail marks the destination as gone and wakes a waiting sender.
func (p *natsPeer) fail(err error) {
	p.mu.Lock()
	if p.failed == nil {
		p.failed = err
	}
	p.mu.Unlock()
	p.signal()
}

func (p *natsPeer) signal() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}
