package natsworld

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/nats-io/nats.go"
)

// Connect joins n ranks of job to the bus at url as n connections of this
// process, the way n gorun rank processes would: it runs the launcher's
// side of the ready barrier itself on one more connection, and returns
// once every rank is through it. job must be unique on the bus. Close
// every Comm when done.
func Connect(ctx context.Context, url, token, job string, n int) ([]*comm.Comm, error) {
	return connect(ctx, []string{url}, token, job, n, nil, nil)
}

// connect joins rank r to urls[r%len(urls)] and answers the ready barrier
// from urls[0]; listening runs once the barrier listens, before any rank
// starts, and beforeRelease once every rank has asked.
func connect(ctx context.Context, urls []string, token, job string, n int, beforeRelease, listening func(context.Context) error) ([]*comm.Comm, error) {
	if n < 1 {
		return nil, fmt.Errorf("natsworld: world of %d ranks", n)
	}
	timeout := natsbus.AuthTimeout // nats.go's 2 s is too short on a busy host
	if dl, ok := ctx.Deadline(); ok {
		timeout = max(time.Until(dl), time.Millisecond)
	}
	nc, err := nats.Connect(urls[0], nats.Token(token), nats.Name("gorun ready "+job), nats.NoReconnect(), nats.Timeout(timeout))
	if err != nil {
		return nil, fmt.Errorf("natsworld: connecting to %s: %w", urls[0], err)
	}
	defer nc.Close()
	ready, err := natsbus.ListenReady(nc, job, n)
	if err != nil {
		return nil, err
	}
	ready.BeforeRelease = beforeRelease
	if listening != nil {
		if err := listening(ctx); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	comms := make([]*comm.Comm, n)
	errs := make([]error, n+1)
	var wg sync.WaitGroup
	for r := range n {
		wg.Go(func() {
			comms[r], errs[r] = comm.JoinNATS(ctx, comm.NATSConfig{URL: urls[r%len(urls)], Token: token, Job: job, Rank: r, Size: n})
			if errs[r] != nil {
				cancel(errs[r])
			}
		})
	}
	errs[n] = ready.Wait(ctx)
	if errs[n] != nil {
		cancel(errs[n])
	}
	wg.Wait()
	return joined(comms, errs)
}

// joined returns comms when every error in errs is nil; otherwise it
// closes the comms that were made and returns the first error.
func joined(comms []*comm.Comm, errs []error) ([]*comm.Comm, error) {
	for _, err := range errs {
		if err != nil {
			for _, c := range comms {
				if c != nil {
					c.Close()
				}
			}
			return nil, err
		}
	}
	return comms, nil
}
