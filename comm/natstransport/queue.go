package natstransport

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/gorun-dev/gorun/comm/transport"
)

var _ transport.BackgroundSender = (*Transport)(nil)

// SendBackground declares transport.BackgroundSender: f joins the send
// queue of dst, which a goroutine of the queue's own hands to the bus in
// order, waiting for credit as Send does; done gets the outcome. While
// the queue is not empty, a Send to dst joins it too and waits its turn,
// so that frames to dst keep the order in which they were sent.
func (t *Transport) SendBackground(ctx context.Context, dst int, f transport.Frame, done func(error)) {
	if dst == t.rank || dst < 0 || dst >= t.size || t.closing.Load() {
		done(t.Send(ctx, dst, f))
		return
	}
	t.peers[dst].sent.Add(int64(len(f.Payload)))
	t.enqueue(dst, &queuedSend{ctx: ctx, f: f, done: done}, true)
}

// SendsAtOnce declares transport.BackgroundSender: nothing is queued or
// batched for dst, dst is on this node (a route's budget is shared with
// other ranks' sends), and its credit window has room for a frame of n
// bytes, chunks and all. Another goroutine's send may take the credit
// first; a Send then waits for it.
func (t *Transport) SendsAtOnce(dst, n int) bool {
	if dst == t.rank || dst < 0 || dst >= t.size {
		return true
	}
	p := &t.peers[dst]
	if p.queued.Load() > 0 || t.route(dst) != nil {
		return false
	}
	msgs := 1
	if n > t.maxData {
		msgs = (n + t.chunkData - 1) / t.chunkData
	}
	cost := int64(n) + int64(msgs)*(natsPrefix+t.msgOverhead)
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.failed == nil && len(p.batch) == 0 && !p.flushing && p.inflight+cost <= t.window
}

// queuedSend is one send in a destination's queue: a background send
// (done set) or a Send waiting its turn (wait set). state moves from
// sendQueued to sendTaken when the queue's goroutine starts it, or to
// sendWithdrawn when a waiting Send's ctx ends first.
type queuedSend struct {
	ctx   context.Context
	f     transport.Frame
	done  func(error)
	wait  chan error // capacity 1
	state atomic.Uint32
}

const (
	sendQueued uint32 = iota
	sendTaken
	sendWithdrawn
)

// enqueue appends q to the queue of dst, starting the queue's goroutine
// when the queue was empty. Unless always is set, it queues nothing into
// an empty queue and reports false.
func (t *Transport) enqueue(dst int, q *queuedSend, always bool) bool {
	p := &t.peers[dst]
	p.qmu.Lock()
	defer p.qmu.Unlock()
	if len(p.queue) == 0 {
		if !always {
			return false
		}
		p.qidle = make(chan struct{})
		go t.runQueue(dst, p.qidle)
	}
	p.queue = append(p.queue, q)
	p.queued.Add(1)
	return true
}

// sendBehind makes a Send of f to dst wait its turn behind the sends
// queued for dst. It reports false, having sent nothing, when the queue
// is empty: then every frame queued before has been handed to the bus.
func (t *Transport) sendBehind(ctx context.Context, dst int, f transport.Frame) (bool, error) {
	q := &queuedSend{ctx: ctx, f: f, wait: make(chan error, 1)}
	if !t.enqueue(dst, q, false) {
		return false, nil
	}
	select {
	case err := <-q.wait:
		return true, err
	case <-ctx.Done():
		if q.state.CompareAndSwap(sendQueued, sendWithdrawn) {
			return true, fmt.Errorf("comm: send to rank %d: %w", dst, context.Cause(ctx))
		}
		return true, <-q.wait // under way: its outcome is the Send's
	}
}

// runQueue sends the queue of dst in order until it is empty, then closes
// idle. A send leaves the queue only once it has been handed to the bus,
// so that a Send finding the queue empty cannot overtake it.
func (t *Transport) runQueue(dst int, idle chan struct{}) {
	p := &t.peers[dst]
	for {
		p.qmu.Lock()
		q := p.queue[0]
		p.qmu.Unlock()
		if q.state.CompareAndSwap(sendQueued, sendTaken) {
			err := t.sendNow(q.ctx, dst, &q.f)
			q.f = transport.Frame{}
			if q.done != nil {
				q.done(err)
			} else {
				q.wait <- err
			}
		}
		p.qmu.Lock()
		p.queue[0] = nil
		p.queue = p.queue[1:]
		p.queued.Add(-1)
		empty := len(p.queue) == 0
		if empty {
			p.queue, p.qidle = nil, nil
			close(idle)
		}
		p.qmu.Unlock()
		if empty {
			return
		}
	}
}

// waitQueue waits until the send queue of dst is empty or ctx ends.
func (t *Transport) waitQueue(ctx context.Context, dst int) error {
	p := &t.peers[dst]
	p.qmu.Lock()
	idle, n := p.qidle, len(p.queue)
	p.qmu.Unlock()
	if idle == nil {
		return nil
	}
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%d sends queued for rank %d were not handed to the bus within %v", n, dst, closeTimeout)
	}
}
