package natsworld

import (
	"context"
	"fmt"
	"sync"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/nats-io/nats.go"
)

// ConnectHybrid joins the n ranks of job to the bus at url as procs
// hybrid processes would (comm.JoinHybrid): rank r belongs to process
// r%procs, whose ranks talk through memory among themselves and over the
// bus to the others. Each process is its own comm.JoinHybrid here, so the
// processes share no state but the bus. It runs the launcher's side of the
// ready barrier and returns the Comms in rank order.
func ConnectHybrid(ctx context.Context, url, token, job string, n, procs int) ([]*comm.Comm, error) {
	if n < 1 || procs < 1 {
		return nil, fmt.Errorf("natsworld: hybrid world of %d ranks in %d processes", n, procs)
	}
	procs = min(procs, n)
	nc, err := nats.Connect(url, nats.Token(token), nats.Name("gorun ready "+job), nats.NoReconnect())
	if err != nil {
		return nil, fmt.Errorf("natsworld: connecting to %s: %w", url, err)
	}
	defer nc.Close()
	ready, err := natsbus.ListenReady(nc, job, n)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	groups := make([][]*comm.Comm, procs)
	errs := make([]error, procs+1)
	var wg sync.WaitGroup
	for p := range procs {
		var ranks []int
		for r := p; r < n; r += procs {
			ranks = append(ranks, r)
		}
		wg.Go(func() {
			groups[p], errs[p] = comm.JoinHybrid(ctx, comm.HybridConfig{
				URL: url, Token: token, Job: job, Size: n, Ranks: ranks, Node: p, Nodes: procs})
			if errs[p] != nil {
				cancel(errs[p])
			}
		})
	}
	errs[procs] = ready.Wait(ctx)
	if errs[procs] != nil {
		cancel(errs[procs])
	}
	wg.Wait()
	comms := make([]*comm.Comm, n)
	for p, g := range groups {
		for i, c := range g {
			comms[p+i*procs] = c
		}
	}
	return joined(comms, errs)
}
