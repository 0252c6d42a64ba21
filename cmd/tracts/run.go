package main

import (
	"context"
	"fmt"

	"github.com/gorun-dev/gorun/cmd/internal/cli"
	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/kernels/geo"
)

// engine computes k-th distances for ranges of polygons; read-only.
type engine struct {
	d      *dataset
	k      int
	fac    *geo.Facilities // index method
	copies *geo.Points     // brute method: the points repeated dup times
}

func newEngine(d *dataset, cfg config) *engine {
	e := &engine{d: d, k: cfg.K}
	if cfg.Method == "index" {
		e.fac = geo.NewFacilities(d.Pts, cfg.Dup)
	} else {
		e.copies = geo.Repeat(d.Pts, cfg.Dup)
	}
	return e
}

func (e *engine) compute(dst []float64, lo, hi int) error {
	if e.fac != nil {
		return geo.KthIndex(dst, e.d.Polys, lo, hi, e.fac, e.k)
	}
	return geo.KthBrute(dst, e.d.Polys, lo, hi, e.copies, e.k)
}

// run is the SPMD body of tracts: the same on every rank.
func run(ctx context.Context, c *comm.Comm, cfg config) error {
	if err := cfg.validate(); err != nil {
		return cli.ExitBadInput(c, err)
	}
	ph := newPhases()
	shared := c.SharesValues() && !cfg.separate
	d, err := acquire(ctx, c, cfg, shared)
	if err != nil {
		return cli.Exit(c, err)
	}
	ph.mark("load")
	var e *engine
	if shared {
		e, err = comm.Shared(ctx, c, "tracts/engine", func() (*engine, error) { return newEngine(d, cfg), nil })
		if err != nil {
			return err
		}
	} else {
		e = newEngine(d, cfg)
	}
	ph.mark("index")

	n := d.Polys.Len()
	var dist []float64
	if cfg.Schedule == "static" {
		dist, err = computeStatic(ctx, c, e, n)
	} else {
		dist, err = computeDynamic(ctx, c, e, n, cfg.Chunk)
	}
	if err != nil {
		return err
	}
	ph.mark("compute")
	if c.Rank() == 0 {
		if err := writeOutput(cfg.Out, cfg.Stdout, d.Polys.IDs, dist); err != nil {
			return err
		}
		ph.mark("write")
	}
	if cfg.Verbose {
		fmt.Fprintf(cfg.Stderr, "tracts: rank %d/%d: polygons=%d points=%d dup=%d k=%d epsg=%d method=%s schedule=%s load=%s shared=%v%s\n",
			c.Rank(), c.Size(), n, d.Pts.Len(), cfg.Dup, cfg.K, d.EPSG, cfg.Method, cfg.Schedule, cfg.Load, shared, ph)
	}
	return nil
}

// progressStep is how many polygons a static rank computes between
// progress reports.
const progressStep = 64

// computeStatic gives rank r the contiguous slice r of an even split and
// gathers the slices at rank 0 in rank order.
func computeStatic(ctx context.Context, c *comm.Comm, e *engine, n int) ([]float64, error) {
	lo, hi := n*c.Rank()/c.Size(), n*(c.Rank()+1)/c.Size()
	mine := make([]float64, hi-lo)
	total := int64(hi - lo)
	c.Progress(0, total)
	for s := lo; s < hi; s += progressStep {
		t := min(s+progressStep, hi)
		if err := e.compute(mine[s-lo:t-lo], s, t); err != nil {
			return nil, err
		}
		c.Progress(int64(t-lo), total)
	}
	return comm.Gatherv(ctx, c, 0, mine)
}

// computeDynamic farms chunks of polygons out with comm.Map. Progress: each
// rank reports the polygons it has done; rank 0 carries the total.
func computeDynamic(ctx context.Context, c *comm.Comm, e *engine, n, chunk int) ([]float64, error) {
	if chunk == 0 {
		chunk = max(1, n/(16*c.Size()))
	}
	var total, done int64
	if c.Rank() == 0 {
		total = int64(n)
	}
	c.Progress(0, total)
	return comm.Map(ctx, c, n, chunk, func(lo, hi int) ([]float64, error) {
		out := make([]float64, hi-lo)
		if err := e.compute(out, lo, hi); err != nil {
			return nil, err
		}
		done += int64(hi - lo)
		c.Progress(done, total)
		return out, nil
	})
}
