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
//
// When the world spans hosts, latency and bandwidth pair rank 0 with the
// next rank on its host (rows of mode MODE-intra) and with the first rank
// on another host (MODE-inter). It returns the world's shape.
func benchRank(ctx context.Context, c *comm.Comm, cfg *config, mode string, raw *rawBus, emit func(row) error) (world, error) {
	w, pairs, err := placement(ctx, c)
	if err != nil {
		return w, err
	}
	w.shared = w.shared && !cfg.MessagesOnly
	b := bench{c: c, cfg: cfg, t: timer{c: c, cfg: cfg}, mode: mode, raw: raw, emit: emit, pairs: pairs}
	for _, op := range cfg.Ops {
		switch {
		case op == opBarrier:
			err = b.barrier(ctx)
		case op == opUnderload:
			err = b.underload(ctx)
		case op == opLatency || op == opBandwidth:
			err = b.pointToPoint(ctx, op)
		default:
			err = b.collective(ctx, op)
		}
		if err != nil {
			return w, err
		}
	}
	return w, nil
}

// bench is one rank's run of benchRank.
type bench struct {
	c     *comm.Comm
	cfg   *config
	t     timer
	mode  string
	raw   *rawBus
	emit  func(row) error
	pairs []pair
}

// report emits a row of mode m on rank 0.
func (b *bench) report(m, op string, bytes int, sec float64) error {
	if b.c.Rank() != 0 {
		return nil
	}
	return b.emit(row{Op: op, Mode: m, Ranks: b.c.Size(), Bytes: bytes, Usec: sec * 1e6})
}

// modeIn is the mode column of a collective run in topo.
func (b *bench) modeIn(topo string) string {
	if topo != topoAuto {
		return b.mode + "-" + topoLabel[topo]
	}
	return b.mode
}

func (b *bench) barrier(ctx context.Context) error {
	for _, topo := range b.cfg.topologies() {
		if err := useTopology(b.c, topo); err != nil {
			return err
		}
		sec, err := barrier(ctx, b.t)
		if err != nil {
			return fmt.Errorf("barrier: %w", err)
		}
		if err := b.report(b.modeIn(topo), opBarrier, 0, sec); err != nil {
			return err
		}
	}
	return nil
}

func (b *bench) underload(ctx context.Context) error {
	if b.c.Size() < 3 {
		if b.c.Rank() == 0 {
			b.cfg.warn("underload needs 3 ranks; skipped on a world of %d", b.c.Size())
		}
		return nil
	}
	for _, size := range b.cfg.Sizes {
		idle, loaded, transfer, err := underload(ctx, b.c, size, b.cfg.Bulk)
		if err != nil {
			return fmt.Errorf("underload %d bytes: %w", size, err)
		}
		for _, r := range []struct {
			op    string
			bytes int
			sec   float64
		}{{opIdle, size, idle}, {opLoaded, size, loaded}, {opBulk, b.cfg.Bulk, transfer}} {
			if err := b.report(b.mode, r.op, r.bytes, r.sec); err != nil {
				return err
			}
		}
	}
	return nil
}

// pointToPoint measures op at every size with every peer of rank 0.
func (b *bench) pointToPoint(ctx context.Context, op string) error {
	if b.c.Size() < 2 {
		if b.c.Rank() == 0 {
			b.cfg.warn("%s needs 2 ranks; skipped on a world of 1", op)
		}
		return nil
	}
	for _, size := range b.cfg.Sizes {
		for _, pr := range b.pairs {
			t := b.t
			t.to = pr.to
			sec, err := sizedBenches[op](ctx, t, size)
			if err != nil {
				return fmt.Errorf("%s %d bytes with rank %d: %w", op, size, pr.to, err)
			}
			if err := b.report(b.mode+pr.suffix, op, size, sec); err != nil {
				return err
			}
			if b.raw != nil && b.c.Rank() == 0 && pr.to == 1 {
				if err := b.raw.bench(ctx, b.cfg, op, size, b.emit); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// collective measures op at every size in every topology.
func (b *bench) collective(ctx context.Context, op string) error {
	for _, size := range b.cfg.Sizes {
		if op == opAllreduce {
			if size < 8 {
				continue // the smallest allreduce is one float64
			}
			size -= size % 8
		}
		for _, topo := range b.cfg.topologies() {
			if err := useTopology(b.c, topo); err != nil {
				return err
			}
			sec, err := sizedBenches[op](ctx, b.t, size)
			if err != nil {
				return fmt.Errorf("%s %d bytes: %w", op, size, err)
			}
			if err := b.report(b.modeIn(topo), op, size, sec); err != nil {
				return err
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
