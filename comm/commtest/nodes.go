package commtest

import (
	"context"

	"github.com/gorun-dev/gorun/comm"
)

// OnNodes makes worlds with mk whose collectives treat rank r of n as
// running on node node(r, n) (comm.SetTopology), so that a suite on one
// machine runs the staged algorithms of a job spread over hosts.
func OnNodes(mk MakeWorld, node func(r, n int) int) MakeWorld {
	return func(ctx context.Context, n int) ([]*comm.Comm, error) {
		comms, err := mk(ctx, n)
		if err != nil {
			return nil, err
		}
		nodes := make([]int, n)
		for r := range nodes {
			nodes[r] = node(r, n)
		}
		for _, c := range comms {
			if err := c.SetTopology(comm.TopologyAuto, nodes); err != nil {
				return nil, err
			}
		}
		return comms, nil
	}
}

// Blocks places ranks on k nodes in consecutive blocks, as a launcher
// places them by slot.
func Blocks(k int) func(r, n int) int { return func(r, n int) int { return r * k / n } }

// RoundRobin deals ranks over k nodes in turn, so no node's ranks are
// consecutive.
func RoundRobin(k int) func(r, n int) int { return func(r, n int) int { return r % k } }
