package main

import (
	"context"
	"fmt"

	"github.com/gorun-dev/gorun/comm"
)

// sizedBench measures one operation at one size and returns seconds per
// unit (one-way message, message of a window, or call).
type sizedBench func(ctx context.Context, t timer, size int) (float64, error)

var sizedBenches = map[string]sizedBench{
	opLatency:   pingPong,
	opBandwidth: bandwidth,
	opBcast:     bcast,
	opAllreduce: allreduce,
	opAlltoall:  alltoall,
}

// benchRank runs every selected operation on this rank of the world, in
// the order of cfg.Ops then cfg.Sizes. Every rank must call it with the
// same cfg; rank 0 passes each row to emit.
//
// raw, on rank 0 only, is the raw NATS ceiling: right after each latency
// and bandwidth point rank 0 measures the same size over raw (while the
// other ranks wait in the next Barrier), so the two rows of a size share
// the machine's load of the moment.
func benchRank(ctx context.Context, c *comm.Comm, cfg *config, mode string, raw *rawBus, emit func(row) error) error {
	t := timer{c: c, cfg: cfg}
	reportIn := func(topo, op string, bytes int, sec float64) error {
		if c.Rank() != 0 {
			return nil
		}
		m := mode
		if topo != topoAuto {
			m += "-" + topoLabel[topo]
		}
		return emit(row{Op: op, Mode: m, Ranks: c.Size(), Bytes: bytes, Usec: sec * 1e6})
	}
	report := func(op string, bytes int, sec float64) error { return reportIn(topoAuto, op, bytes, sec) }
	for _, op := range cfg.Ops {
		if op == opBarrier {
			for _, topo := range cfg.topologies() {
				if err := useTopology(c, topo); err != nil {
					return err
				}
				sec, err := barrier(ctx, t)
				if err != nil {
					return fmt.Errorf("barrier: %w", err)
				}
				if err := reportIn(topo, op, 0, sec); err != nil {
					return err
				}
			}
			continue
		}
		if op == opUnderload {
			if c.Size() < 3 {
				if c.Rank() == 0 {
					cfg.warn("underload needs 3 ranks; skipped on a world of %d", c.Size())
				}
				continue
			}
			for _, size := range cfg.Sizes {
				idle, loaded, transfer, err := underload(ctx, c, size, cfg.Bulk)
				if err != nil {
					return fmt.Errorf("underload %d bytes: %w", size, err)
				}
				if err := report(opIdle, size, idle); err != nil {
					return err
				}
				if err := report(opLoaded, size, loaded); err != nil {
					return err
				}
				if err := report(opBulk, cfg.Bulk, transfer); err != nil {
					return err
				}
			}
			continue
		}
		if (op == opLatency || op == opBandwidth) && c.Size() < 2 {
			if c.Rank() == 0 {
				cfg.warn("%s needs 2 ranks; skipped on a world of 1", op)
			}
			continue
		}
		for _, size := range cfg.Sizes {
			if op == opAllreduce {
				if size < 8 {
					continue // the smallest allreduce is one float64
				}
				size -= size % 8
			}
			if op != opLatency && op != opBandwidth {
				for _, topo := range cfg.topologies() {
					if err := useTopology(c, topo); err != nil {
						return err
					}
					sec, err := sizedBenches[op](ctx, t, size)
					if err != nil {
						return fmt.Errorf("%s %d bytes: %w", op, size, err)
					}
					if err := reportIn(topo, op, size, sec); err != nil {
						return err
					}
				}
				continue
			}
			sec, err := sizedBenches[op](ctx, t, size)
			if err != nil {
				return fmt.Errorf("%s %d bytes: %w", op, size, err)
			}
			if err := report(op, size, sec); err != nil {
				return err
			}
			if raw != nil && c.Rank() == 0 {
				if err := raw.bench(ctx, cfg, op, size, emit); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// topoLabel names a topology in the mode column.
var topoLabel = map[string]string{topoFlat: "flat", topoBoth: "staged"}

// topologies are the topologies every collective point is measured in:
// flat then staged for --topology both, where staged is auto.
func (c *config) topologies() []string {
	if c.Topology == topoBoth {
		return []string{topoFlat, topoBoth}
	}
	return []string{c.Topology}
}

// useTopology sets the collectives' algorithms for topo (both: staged,
// which is auto).
func useTopology(c *comm.Comm, topo string) error {
	if topo == topoFlat {
		return c.SetTopology(comm.TopologyFlat, nil)
	}
	return c.SetTopology(comm.TopologyAuto, nil)
}
