package natstransport

import (
	"context"
	"fmt"

	"github.com/gorun-dev/gorun/comm/transport"
)

// Small frames (at most natsSmallFrame bytes on the wire) go out at once as
// one NATS message each while the credit window has room. Once it is full
// they are packed into a batch of up to natsBatchMax bytes that a flusher
// goroutine sends as one NATS message when credit returns: a flood of tiny
// messages then costs the bus one message per batch, and Send still returns
// at once (with bounded memory: it waits while the batch is full).
const (
	natsSmallFrame = 16 << 10
	natsBatchMax   = 256 << 10
)

// Send hands f to the bus: one NATS message (or a place in a batch) when it
// is small, else a run of chunks that no other large frame to dst can
// interleave with; behind the background sends queued for dst, if any
// (queue.go). Frames one goroutine sends to one rank keep their order.
func (t *Transport) Send(ctx context.Context, dst int, f transport.Frame) error {
	if dst < 0 || dst >= t.size {
		return fmt.Errorf("comm: nats: send to rank %d out of range [0,%d)", dst, t.size)
	}
	if t.closing.Load() {
		return transport.ErrClosed
	}
	t.peers[dst].sent.Add(int64(len(f.Payload)))
	if dst == t.rank {
		// A rank needs no bus to reach itself; f.Payload is the sender's
		// fresh encoding, handed over as the goroutine transport does.
		t.handler().Deliver(f)
		return nil
	}
	if t.peers[dst].queued.Load() > 0 {
		if queued, err := t.sendBehind(ctx, dst, f); queued {
			return err
		}
	}
	return t.sendNow(ctx, dst, &f)
}

// sendNow hands f to the bus for dst, another rank, behind nothing queued.
func (t *Transport) sendNow(ctx context.Context, dst int, f *transport.Frame) error {
	var err error
	if size := natsPrefix + len(f.Payload); size <= t.smallMax() {
		err = t.sendSmall(ctx, dst, f, size)
	} else if r := t.route(dst); r != nil {
		err = t.sendRouted(ctx, dst, f, r)
	} else {
		err = t.sendLarge(ctx, dst, f)
	}
	if err != nil {
		return fmt.Errorf("comm: send to rank %d: %w", dst, err)
	}
	return nil
}

func (t *Transport) smallMax() int { return min(natsSmallFrame, t.batchMax()) }
func (t *Transport) batchMax() int { return min(natsBatchMax, t.maxData) }

// sendSmall publishes f directly if nothing is queued and credit allows,
// else appends it to the destination's batch.
func (t *Transport) sendSmall(ctx context.Context, dst int, f *transport.Frame, size int) error {
	p := &t.peers[dst]
	entry := natsEntrySize(len(f.Payload))
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		if p.failed != nil {
			return p.failed
		}
		if len(p.batch) == 0 && !p.flushing && p.fits(t.cost(size), t.window) {
			// Publishing under p.mu keeps it ahead of any later batch.
			p.inflight += t.cost(size)
			return t.publish(dst, f, natsWhole, 0, f.Payload)
		}
		if len(p.batch)+entry <= t.batchMax() {
			p.batch = appendNATSEntry(p.batch, f)
			p.batchN++
			if !p.flushing {
				p.flushing = true
				go t.flush(dst)
			}
			return nil
		}
		if err := p.waitLocked(ctx, t.done, t.failure); err != nil {
			return err
		}
	}
}

// flush sends the batch of dst, and the batches that fill up meanwhile,
// until none is left.
func (t *Transport) flush(dst int) {
	p := &t.peers[dst]
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.batch) > 0 {
		cost := t.cost(natsPrefix + len(p.batch))
		if err := p.acquireLocked(context.Background(), cost, t.window, t.done, t.failure); err != nil {
			break // the destination or the bus failed; that is reported elsewhere
		}
		b, n := p.batch, p.batchN
		p.batch, p.batchN, p.spare = p.spare[:0], 0, nil
		p.broadcast() // room for senders waiting on a full batch
		p.mu.Unlock()
		bp := getNATSBuf(natsPrefix + len(b))
		putNATSPrefix(*bp, &transport.Frame{Kind: transport.KindP2P, Src: int32(t.rank)}, natsBatch, uint64(n))
		copy((*bp)[natsPrefix:], b)
		err := t.publishTo(dst, *bp)
		putNATSBuf(bp)
		t.batches.Add(1)
		p.mu.Lock()
		p.spare = b
		if err != nil {
			p.inflight = max(p.inflight-cost, 0)
			if !t.closing.Load() {
				t.fail(fmt.Errorf("sending to rank %d: %w", dst, err))
			}
			break
		}
	}
	p.batch, p.batchN = p.batch[:0], 0
	p.flushing = false
	p.broadcast()
}

// drained waits until the batch of dst has been sent. p.mu must be held.
func (t *Transport) drained(ctx context.Context, p *natsPeer) error {
	for len(p.batch) > 0 || p.flushing {
		if p.failed != nil {
			return p.failed
		}
		if err := p.waitLocked(ctx, t.done, t.failure); err != nil {
			return err
		}
	}
	return nil
}

// sendLarge sends f as one NATS message or as chunks, each once credit
// allows, after every frame batched before it.
func (t *Transport) sendLarge(ctx context.Context, dst int, f *transport.Frame) error {
	p := &t.peers[dst]
	p.large.Lock()
	defer p.large.Unlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := t.drained(ctx, p); err != nil {
		return err
	}
	n := len(f.Payload)
	if n <= t.maxData {
		if err := p.acquireLocked(ctx, t.cost(natsPrefix+n), t.window, t.done, t.failure); err != nil {
			return err
		}
		return t.publishUnlocked(p, dst, f, natsWhole, 0, f.Payload)
	}
	for off := 0; off < n; {
		k := min(t.chunkData, n-off)
		typ, arg := natsMore, uint64(0)
		if off == 0 {
			typ, arg = natsFirst, uint64(n)
		}
		err := p.acquireLocked(ctx, t.cost(natsPrefix+k), t.window, t.done, t.failure)
		if err == nil {
			err = t.publishUnlocked(p, dst, f, typ, arg, f.Payload[off:off+k])
		}
		if err != nil {
			if off > 0 {
				// Best effort: let the receiver drop the partial frame.
				_ = t.publishTo(dst, controlMsg(t.rank, natsAbandon, 0))
			}
			return err
		}
		off += k
	}
	return nil
}

// publishUnlocked is publish with p.mu released meanwhile, so that grants
// are not held up behind a large copy.
func (t *Transport) publishUnlocked(p *natsPeer, dst int, f *transport.Frame, typ natsMsgType, arg uint64, data []byte) error {
	p.mu.Unlock()
	defer p.mu.Lock()
	return t.publish(dst, f, typ, arg, data)
}

// publish sends one NATS message to dst; its credit is already taken (and
// given back here if the message cannot be sent).
func (t *Transport) publish(dst int, f *transport.Frame, typ natsMsgType, arg uint64, data []byte) error {
	size := natsPrefix + len(data)
	var err error
	if len(data) >= natsReplyMin {
		// NATS copies data into the connection's buffer before returning.
		var prefix [natsPrefix]byte
		putNATSPrefix(prefix[:], f, typ, arg)
		err = t.publishReplyTo(dst, prefix[:], data)
	} else {
		bp := getNATSBuf(size)
		putNATSPrefix(*bp, f, typ, arg)
		copy((*bp)[natsPrefix:], data)
		err = t.publishTo(dst, *bp)
		putNATSBuf(bp)
	}
	if err == nil {
		return nil
	}
	go t.peers[dst].grant(t.cost(size)) // the caller may hold p.mu
	if t.closing.Load() {
		return transport.ErrClosed
	}
	return fmt.Errorf("%w: bus: %v", transport.ErrAborted, err)
}
