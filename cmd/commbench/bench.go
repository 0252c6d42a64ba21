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
	report := func(op string, bytes int, sec float64) error {
		if c.Rank() != 0 {
			return nil
		}
		return emit(row{Op: op, Mode: mode, Ranks: c.Size(), Bytes: bytes, Usec: sec * 1e6})
	}
	for _, op := range cfg.Ops {
		if op == opBarrier {
			sec, err := barrier(ctx, t)
			if err != nil {
				return fmt.Errorf("barrier: %w", err)
			}
			if err := report(op, 0, sec); err != nil {
				return err
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
