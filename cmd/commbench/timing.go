package main

import (
	"context"
	"slices"
	"time"

	"github.com/gorun-dev/gorun/comm"
)

// batchFunc runs n iterations of one operation on this rank.
type batchFunc func(n int) error

// timer times batches of one benchmark point. With a Comm every batch
// starts after a Barrier and lasts as long as its slowest rank (Allreduce
// Max), so all ranks see the same times and take the same decisions; with
// a nil Comm (raw NATS) it times this goroutine alone.
type timer struct {
	c   *comm.Comm
	cfg *config
	to  int // the point-to-point benchmarks' peer of rank 0; 0 means rank 1
}

// peer is the rank the point-to-point benchmarks pair with rank 0.
func (t timer) peer() int { return max(t.to, 1) }

// batch runs run(n) once and returns its duration in seconds.
func (t timer) batch(ctx context.Context, n int, run batchFunc) (float64, error) {
	if t.c != nil {
		if err := t.c.Barrier(ctx); err != nil {
			return 0, err
		}
	}
	start := time.Now()
	if err := run(n); err != nil {
		return 0, err
	}
	dt := time.Since(start).Seconds()
	if t.c == nil || t.c.Size() == 1 {
		return dt, nil
	}
	return comm.Allreduce(ctx, t.c, dt, comm.Max)
}

// perIter measures run and returns the median time of one iteration, in
// seconds.
func (t timer) perIter(ctx context.Context, run batchFunc) (float64, error) {
	n := t.cfg.Iters
	if n > 0 {
		warm := t.cfg.Warmup
		if warm == 0 {
			warm = max(1, n/10)
		}
		if _, err := t.batch(ctx, warm, run); err != nil {
			return 0, err
		}
	} else {
		var err error
		if n, err = t.calibrate(ctx, run); err != nil {
			return 0, err
		}
	}
	times := make([]float64, t.cfg.Repeats)
	for i := range times {
		dt, err := t.batch(ctx, n, run)
		if err != nil {
			return 0, err
		}
		times[i] = dt / float64(n)
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}

// calibrate grows a batch from one iteration until it lasts at least a
// quarter of one repeat's share of --time, then returns the batch size
// that lasts about one share. The calibration batches are the warm-up.
func (t timer) calibrate(ctx context.Context, run batchFunc) (int, error) {
	share := t.cfg.Time.Seconds() / float64(t.cfg.Repeats+1)
	n := 1
	for {
		dt, err := t.batch(ctx, n, run)
		if err != nil {
			return 0, err
		}
		if dt >= share/4 || n >= 1<<30 {
			return max(1, int(share/(dt/float64(n)))), nil
		}
		grow := 100.0
		if dt > 0 {
			grow = min(100, max(2, share/dt))
		}
		n = int(float64(n) * grow)
	}
}
