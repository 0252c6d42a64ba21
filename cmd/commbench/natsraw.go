package main

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/nats-io/nats.go"
)

// rawPrefix is the subject prefix of the raw benchmarks.
const rawPrefix = "_commbench.raw."

// rawBus is the ceiling for the NATS transport: two plain nats.go
// connections to one server, a the sender and b the echoing peer.
type rawBus struct {
	a, b   *nats.Conn
	errs   chan error // asynchronous errors (slow consumer, ...)
	pongs  chan *nats.Msg
	acks   chan *nats.Msg
	window atomic.Int64 // messages per bandwidth window, read by b's handler
}

func dialRaw(url, token string) (*rawBus, error) {
	r := &rawBus{errs: make(chan error, 4), pongs: make(chan *nats.Msg, 1024), acks: make(chan *nats.Msg, 1024)}
	onErr := nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
		select {
		case r.errs <- err:
		default:
		}
	})
	var err error
	if r.a, err = nats.Connect(url, nats.Token(token), nats.NoReconnect(), nats.Name("commbench raw a"), onErr); err != nil {
		return nil, fmt.Errorf("nats-raw: %w", err)
	}
	if r.b, err = nats.Connect(url, nats.Token(token), nats.NoReconnect(), nats.Name("commbench raw b"), onErr); err != nil {
		r.a.Close()
		return nil, fmt.Errorf("nats-raw: %w", err)
	}
	if err := r.subscribe(); err != nil {
		r.close()
		return nil, fmt.Errorf("nats-raw: %w", err)
	}
	return r, nil
}

func (r *rawBus) subscribe() error {
	var count int64 // touched only by b's bandwidth handler
	b := r.b
	subs := []func() (*nats.Subscription, error){
		func() (*nats.Subscription, error) { return r.a.ChanSubscribe(rawPrefix+"pong", r.pongs) },
		func() (*nats.Subscription, error) { return r.a.ChanSubscribe(rawPrefix+"ack", r.acks) },
		func() (*nats.Subscription, error) {
			return b.Subscribe(rawPrefix+"ping", func(m *nats.Msg) { _ = b.Publish(rawPrefix+"pong", m.Data) })
		},
		func() (*nats.Subscription, error) {
			return b.Subscribe(rawPrefix+"req", func(m *nats.Msg) { _ = m.Respond(m.Data) })
		},
		func() (*nats.Subscription, error) {
			return b.Subscribe(rawPrefix+"bw", func(*nats.Msg) {
				if count++; count >= r.window.Load() {
					count = 0
					_ = b.Publish(rawPrefix+"ack", nil)
				}
			})
		},
	}
	for _, sub := range subs {
		s, err := sub()
		if err != nil {
			return err
		}
		if s.Type() == nats.AsyncSubscription {
			if err := s.SetPendingLimits(-1, -1); err != nil {
				return err
			}
		}
	}
	if err := r.a.Flush(); err != nil {
		return err
	}
	return r.b.Flush()
}

func (r *rawBus) close() {
	r.a.Close()
	r.b.Close()
}

// next waits for a message on ch.
func (r *rawBus) next(ctx context.Context, ch chan *nats.Msg) (*nats.Msg, error) {
	select {
	case m := <-ch:
		return m, nil
	case err := <-r.errs:
		return nil, err
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
}

// pingPong is pub/sub one-way time: a publishes, b's handler publishes the
// same bytes back.
func (r *rawBus) pingPong(ctx context.Context, t timer, size int) (float64, error) {
	buf := make([]byte, size)
	var in *nats.Msg
	rt, err := t.perIter(ctx, func(n int) error {
		for range n {
			if err := r.a.Publish(rawPrefix+"ping", buf); err != nil {
				return err
			}
			var err error
			if in, err = r.next(ctx, r.pongs); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && len(in.Data) != size {
		err = fmt.Errorf("echo of %d bytes came back with %d", size, len(in.Data))
	}
	return rt / 2, err
}

// reqReply is request/reply round trip / 2.
func (r *rawBus) reqReply(ctx context.Context, t timer, size int) (float64, error) {
	buf := make([]byte, size)
	rt, err := t.perIter(ctx, func(n int) error {
		for range n {
			m, err := r.a.RequestWithContext(ctx, rawPrefix+"req", buf)
			if err != nil {
				return err
			}
			if len(m.Data) != size {
				return fmt.Errorf("reply of %d bytes to a request of %d", len(m.Data), size)
			}
		}
		return nil
	})
	return rt / 2, err
}

// bandwidth publishes windows of messages; b acknowledges each window.
func (r *rawBus) bandwidth(ctx context.Context, t timer, size int) (float64, error) {
	w := window(t.cfg, size)
	r.window.Store(int64(w))
	buf := make([]byte, size)
	per, err := t.perIter(ctx, func(n int) error {
		for range n {
			for range w {
				if err := r.a.Publish(rawPrefix+"bw", buf); err != nil {
					return err
				}
			}
			if _, err := r.next(ctx, r.acks); err != nil {
				return err
			}
		}
		return nil
	})
	return per / float64(w), err
}

// bench measures raw NATS at size after the comm point op: pub/sub
// ping-pong and request/reply after latency, a publish window after
// bandwidth; nothing after other operations.
func (r *rawBus) bench(ctx context.Context, cfg *config, op string, size int, emit func(row) error) error {
	t := timer{cfg: cfg}
	type rawOp struct {
		op string
		fn sizedBench
	}
	var ops []rawOp
	switch op {
	case opLatency:
		ops = []rawOp{{opLatency, r.pingPong}, {opReqReply, r.reqReply}}
	case opBandwidth:
		ops = []rawOp{{opBandwidth, r.bandwidth}}
	}
	for _, o := range ops {
		if int64(size) > r.a.MaxPayload() {
			cfg.warn("nats-raw %s: %d bytes is over the server's max payload; skipped", o.op, size)
			continue
		}
		sec, err := o.fn(ctx, t, size)
		if err != nil {
			return fmt.Errorf("nats-raw %s %d bytes: %w", o.op, size, err)
		}
		if err := emit(row{Op: o.op, Mode: modeRaw, Ranks: 2, Bytes: size, Usec: sec * 1e6}); err != nil {
			return err
		}
	}
	return nil
}
