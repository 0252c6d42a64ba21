package main

import (
	"context"
	"slices"

	"github.com/gorun-dev/gorun/comm"
)

// pair is a peer of rank 0 for the point-to-point benchmarks and the
// suffix of its rows' mode.
type pair struct {
	to     int
	suffix string
}

// placement finds the hosts of the world's ranks (comm.Place, gathered
// from every rank) and the peers rank 0 measures: rank 1 on one host;
// across hosts the next rank on rank 0's host, if any, and the first rank
// on another.
func placement(ctx context.Context, c *comm.Comm) (world, []pair, error) {
	w := world{ranks: c.Size(), nodes: 1, shared: c.SharesMemory()}
	if c.Size() < 2 {
		return w, nil, nil
	}
	nodes, err := comm.Allgather(ctx, c, c.Node())
	if err != nil {
		return w, nil, err
	}
	var pairs []pair
	w.nodes, pairs = peersOf(nodes)
	return w, pairs, nil
}

// peersOf is the number of distinct nodes and rank 0's peers when rank r
// runs on nodes[r].
func peersOf(nodes []int) (int, []pair) {
	n := len(slices.Compact(slices.Sorted(slices.Values(nodes))))
	if n == 1 {
		return 1, []pair{{to: 1}}
	}
	var pairs []pair
	if r := slices.Index(nodes[1:], nodes[0]); r >= 0 {
		pairs = append(pairs, pair{to: r + 1, suffix: suffixIntra})
	}
	r := slices.IndexFunc(nodes, func(n int) bool { return n != nodes[0] })
	return n, append(pairs, pair{to: r, suffix: suffixInter})
}
