package commtest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/gorun-dev/gorun/comm/natsworld"
)

// NATSWorld starts an embedded NATS server for the test (shut down by
// t.Cleanup) and returns a maker of n-rank worlds over it, each with a
// fresh job id. Worlds still open at the end of the test are closed.
func NATSWorld(t testing.TB) func(ctx context.Context, n int) ([]*comm.Comm, error) {
	t.Helper()
	srv, err := natsbus.Start(natsbus.Options{})
	if err != nil {
		t.Fatalf("commtest: %v", err)
	}
	return worldMaker(t, "test", srv.Shutdown, func(ctx context.Context, job string, n int) ([]*comm.Comm, error) {
		return natsworld.Connect(ctx, srv.URL(), srv.Token(), job, n)
	})
}

// MeshWorld is NATSWorld across a mesh of servers joined by routes, as a
// multi-host job's ranks talk: rank r connects to server r%servers, so
// most frames cross a route.
func MeshWorld(t testing.TB, servers int) func(ctx context.Context, n int) ([]*comm.Comm, error) {
	t.Helper()
	srvs, err := natsbus.StartMesh(servers, natsbus.Options{})
	if err != nil {
		t.Fatalf("commtest: %v", err)
	}
	shutdown := func() {
		for _, s := range srvs {
			s.Shutdown()
		}
	}
	return worldMaker(t, "mesh", shutdown, func(ctx context.Context, job string, n int) ([]*comm.Comm, error) {
		return natsworld.ConnectMesh(ctx, srvs, job, n)
	})
}

// worldMaker makes worlds with connect, each under a fresh job id that
// starts with prefix; at the end of the test it closes every world still
// open, then calls shutdown.
func worldMaker(t testing.TB, prefix string, shutdown func(), connect func(ctx context.Context, job string, n int) ([]*comm.Comm, error)) func(ctx context.Context, n int) ([]*comm.Comm, error) {
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
		shutdown()
	})
	return func(ctx context.Context, n int) ([]*comm.Comm, error) {
		comms, err := connect(ctx, fmt.Sprintf("%s%d", prefix, count.Add(1)), n)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		all = append(all, comms...)
		mu.Unlock()
		return comms, nil
	}
}

// HybridWorld is NATSWorld for hybrid worlds: the ranks of a world live
// in procs simulated processes (comm.JoinHybrid each), rank r in process
// r%procs, so that frames between the ranks of one process go through
// memory and the others over the bus.
func HybridWorld(t testing.TB, procs int) func(ctx context.Context, n int) ([]*comm.Comm, error) {
	t.Helper()
	srv, err := natsbus.Start(natsbus.Options{})
	if err != nil {
		t.Fatalf("commtest: %v", err)
	}
	return worldMaker(t, "hybrid", srv.Shutdown, func(ctx context.Context, job string, n int) ([]*comm.Comm, error) {
		return natsworld.ConnectHybrid(ctx, srv.URL(), srv.Token(), job, n, procs)
	})
}
