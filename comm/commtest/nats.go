package commtest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/nats-io/nats.go"
)

// ConnectNATSWorld joins n ranks of a fresh world to the bus at url as n
// connections of this process, the way n gorun rank processes would: it
// runs the ready barrier itself on one more connection, and returns once
// every rank is through it. Close every Comm when done.
func ConnectNATSWorld(ctx context.Context, url, token, job string, n int) ([]*comm.Comm, error) {
	if n < 1 {
		return nil, fmt.Errorf("commtest: world of %d ranks", n)
	}
	nc, err := nats.Connect(url, nats.Token(token), nats.Name("gorun ready "+job), nats.NoReconnect())
	if err != nil {
		return nil, fmt.Errorf("commtest: connecting to %s: %w", url, err)
	}
	defer nc.Close()
	ready, err := natsbus.ListenReady(nc, job, n)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	comms := make([]*comm.Comm, n)
	errs := make([]error, n+1)
	var wg sync.WaitGroup
	for r := range n {
		wg.Go(func() {
			comms[r], errs[r] = comm.JoinNATS(ctx, comm.NATSConfig{URL: url, Token: token, Job: job, Rank: r, Size: n})
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

// NATSWorld starts an embedded NATS server for the test (shut down by
// t.Cleanup) and returns a maker of n-rank worlds over it, each with a
// fresh job id. Worlds still open at the end of the test are closed.
func NATSWorld(t testing.TB) func(ctx context.Context, n int) ([]*comm.Comm, error) {
	t.Helper()
	srv, err := natsbus.Start(natsbus.Options{})
	if err != nil {
		t.Fatalf("commtest: %v", err)
	}
	var (
		mu    sync.Mutex
		all   []*comm.Comm
		count atomic.Int64
	)
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range all {
			c.Close()
		}
		srv.Shutdown()
	})
	return func(ctx context.Context, n int) ([]*comm.Comm, error) {
		job := fmt.Sprintf("test%d", count.Add(1))
		comms, err := ConnectNATSWorld(ctx, srv.URL(), srv.Token(), job, n)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		all = append(all, comms...)
		mu.Unlock()
		return comms, nil
	}
}
