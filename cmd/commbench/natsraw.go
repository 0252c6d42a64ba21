package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/nats-io/nats.go"
)

// rawPrefix is the subject prefix of the raw benchmarks on commbench's own
// server; under gorun they use the job's user subjects (userPrefix).
const rawPrefix = "_commbench.raw."

// userPrefix is the subject prefix of the raw benchmarks on job's bus: the
// part of the bus a rank's user may use freely.
func userPrefix(job string) string { return jobenv.SubjectUser(job) + ".commbench." }

// rawBus is the ceiling for the NATS transport: plain nats.go
// connections to one server, a the sender and b the echoing peer (served
// by serveEcho, in this process or in rank 1's).
type rawBus struct {
	a     *nats.Conn
	b     *nats.Conn // nil when the echo side lives in another process
	errs  chan error // asynchronous errors (slow consumer, ...)
	pongs chan *nats.Msg
	acks  chan *nats.Msg
	pfx   string // the subject prefix, rawPrefix or userPrefix
}

// rawConnect connects with secret: a plain token, or a rank's credentials
// (jobenv.SplitCredentials). Replies to requests come back under pfx.
func rawConnect(url, secret, pfx, name string, errs chan error) (*nats.Conn, error) {
	auth := nats.Token(secret)
	if user, password, ok := jobenv.SplitCredentials(secret); ok {
		auth = nats.UserInfo(user, password)
	}
	nc, err := nats.Connect(url, auth, nats.CustomInboxPrefix(pfx+"inbox"), nats.NoReconnect(), nats.Name(name),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			select {
			case errs <- err:
			default:
			}
		}))
	if err != nil {
		return nil, fmt.Errorf("nats-raw: %w", err)
	}
	return nc, nil
}

// dialRaw connects both sides in this process.
func dialRaw(url, token string) (*rawBus, error) {
	r, err := dialSender(url, token, rawPrefix)
	if err != nil {
		return nil, err
	}
	if r.b, err = dialEcho(url, token, rawPrefix, r.errs); err != nil {
		r.close()
		return nil, err
	}
	return r, nil
}

// dialSender connects the sending side and subscribes to the replies.
func dialSender(url, secret, pfx string) (*rawBus, error) {
	r := &rawBus{errs: make(chan error, 4), pongs: make(chan *nats.Msg, 1024), acks: make(chan *nats.Msg, 1024), pfx: pfx}
	var err error
	if r.a, err = rawConnect(url, secret, pfx, "commbench raw sender", r.errs); err != nil {
		return nil, err
	}
	for subj, ch := range map[string]chan *nats.Msg{pfx + "pong": r.pongs, pfx + "ack": r.acks} {
		if _, err := r.a.ChanSubscribe(subj, ch); err != nil {
			r.a.Close()
			return nil, fmt.Errorf("nats-raw: %w", err)
		}
	}
	if err := r.a.Flush(); err != nil {
		r.a.Close()
		return nil, fmt.Errorf("nats-raw: %w", err)
	}
	return r, nil
}

// dialEcho connects the echoing side: it publishes every ping back as a
// pong, answers every request with its data, and acknowledges every
// window of messages on bw.<window> with one empty message.
func dialEcho(url, secret, pfx string, errs chan error) (*nats.Conn, error) {
	b, err := rawConnect(url, secret, pfx, "commbench raw echo", errs)
	if err != nil {
		return nil, err
	}
	var count int // touched only by the bandwidth handler's goroutine
	handlers := map[string]nats.MsgHandler{
		pfx + "ping": func(m *nats.Msg) { _ = b.Publish(pfx+"pong", m.Data) },
		pfx + "req":  func(m *nats.Msg) { _ = m.Respond(m.Data) },
		pfx + "bw.*": func(m *nats.Msg) {
			w, _ := strconv.Atoi(m.Subject[strings.LastIndexByte(m.Subject, '.')+1:])
			if count++; count >= w {
				count = 0
				_ = b.Publish(pfx+"ack", nil)
			}
		},
	}
	for subj, h := range handlers {
		s, err := b.Subscribe(subj, h)
		if err == nil {
			err = s.SetPendingLimits(-1, -1)
		}
		if err != nil {
			b.Close()
			return nil, fmt.Errorf("nats-raw: %w", err)
		}
	}
	if err := b.Flush(); err != nil {
		b.Close()
		return nil, fmt.Errorf("nats-raw: %w", err)
	}
	return b, nil
}

func (r *rawBus) close() {
	r.a.Close()
	if r.b != nil {
		r.b.Close()
	}
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
			if err := r.a.Publish(r.pfx+"ping", buf); err != nil {
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
			m, err := r.a.RequestWithContext(ctx, r.pfx+"req", buf)
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
	subj := r.pfx + "bw." + strconv.Itoa(w)
	buf := make([]byte, size)
	per, err := t.perIter(ctx, func(n int) error {
		for range n {
			for range w {
				if err := r.a.Publish(subj, buf); err != nil {
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
