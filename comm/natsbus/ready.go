package natsbus

import (
	"context"
	"fmt"
	"strconv"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/nats-io/nats.go"
)

// Ready is the launcher's side of the ready barrier: every rank, once its
// inbox subscription is live, sends a request with its rank number on
// jobenv.SubjectReady(job); once all n ranks have asked, every request is
// answered and the ranks start user code. No frame can then be lost to a
// subscription that did not exist yet.
//
// Listen must be called before any rank starts, so no request is missed.
type Ready struct {
	// BeforeRelease, when set, runs once every rank has asked and before
	// any is answered; an error fails Wait and releases no rank. A
	// multi-host launcher waits there until every server knows every
	// rank's inbox.
	BeforeRelease func(ctx context.Context) error

	sub  *nats.Subscription
	n    int
	msgs chan *nats.Msg
}

// ListenReady subscribes to the ready subject of job.
func ListenReady(nc *nats.Conn, job string, n int) (*Ready, error) {
	r := &Ready{n: n, msgs: make(chan *nats.Msg, n)}
	sub, err := nc.Subscribe(jobenv.SubjectReady(job), func(m *nats.Msg) {
		select {
		case r.msgs <- m:
		default: // more requests than ranks: Wait has already failed or finished
		}
	})
	if err != nil {
		return nil, fmt.Errorf("natsbus: ready subscription: %w", err)
	}
	if err := sub.SetPendingLimits(-1, -1); err != nil {
		return nil, err
	}
	if err := nc.Flush(); err != nil {
		return nil, fmt.Errorf("natsbus: ready subscription: %w", err)
	}
	r.sub = sub
	return r, nil
}

// Wait blocks until all n ranks are ready, then releases them.
func (r *Ready) Wait(ctx context.Context) error {
	defer r.sub.Unsubscribe()
	seen := make(map[int]*nats.Msg, r.n)
	for len(seen) < r.n {
		select {
		case <-ctx.Done():
			return fmt.Errorf("natsbus: %d of %d ranks ready: %w", len(seen), r.n, context.Cause(ctx))
		case m := <-r.msgs:
			rank, err := strconv.Atoi(string(m.Data))
			if err != nil || rank < 0 || rank >= r.n {
				return fmt.Errorf("natsbus: bad ready request %q", m.Data)
			}
			if _, dup := seen[rank]; dup {
				return fmt.Errorf("natsbus: rank %d reported ready twice", rank)
			}
			seen[rank] = m
		}
	}
	if r.BeforeRelease != nil {
		if err := r.BeforeRelease(ctx); err != nil {
			return err
		}
	}
	for _, m := range seen {
		if err := m.Respond([]byte("go")); err != nil {
			return fmt.Errorf("natsbus: releasing ranks: %w", err)
		}
	}
	return nil
}
