package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/kernels/montecarlo"
)

// config is one pi job.
type config struct {
	Samples int64
	Seed    uint64
	Stdout  io.Writer // rank 0's report
}

func (cfg config) validate() error {
	if cfg.Samples < 1 {
		return fmt.Errorf("--samples %d: must be at least 1", cfg.Samples)
	}
	return nil
}

// progressBlock is how many samples a rank draws between progress reports.
const progressBlock = 1 << 24

// hits draws this rank's share of samples from its stream of seed and
// returns the hits of all ranks (on every rank).
func hits(ctx context.Context, c *comm.Comm, samples int64, seed uint64) (int64, error) {
	n := montecarlo.Share(samples, c.Size(), c.Rank())
	r := montecarlo.NewRand(seed, uint64(c.Rank()))
	var local, done int64
	c.Progress(0, n)
	for done < n {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		m := min(progressBlock, n-done)
		local += montecarlo.Hits(r, m)
		done += m
		c.Progress(done, n)
	}
	return comm.Allreduce(ctx, c, local, comm.Sum)
}

// run is the SPMD body of pi: the same on every rank.
func run(ctx context.Context, c *comm.Comm, cfg config) error {
	if err := cfg.validate(); err != nil {
		if c.Rank() != 0 {
			return nil
		}
		return comm.Exit(2, err)
	}
	if err := c.Barrier(ctx); err != nil {
		return err
	}
	start := time.Now()
	h, err := hits(ctx, c, cfg.Samples, cfg.Seed)
	if err != nil || c.Rank() != 0 {
		return err
	}
	secs := time.Since(start).Seconds()
	pi := montecarlo.Estimate(h, cfg.Samples)
	_, err = fmt.Fprintf(cfg.Stdout, "pi=%.9f abs_err=%.3e samples=%d ranks=%d seed=%d\nseconds=%.3f ns_per_sample=%.3f\n",
		pi, math.Abs(pi-math.Pi), cfg.Samples, c.Size(), cfg.Seed, secs, secs*1e9/float64(cfg.Samples))
	return err
}
