package main

import (
	"context"
	"fmt"

	"github.com/gorun-dev/gorun/comm"
)

// bcast times comm.Bcast of a []byte of size bytes from rank 0 and returns
// the time per call in seconds.
func bcast(ctx context.Context, t timer, size int) (float64, error) {
	c := t.c
	buf := make([]byte, size)
	run := func(n int) error {
		for range n {
			if err := comm.Bcast(ctx, c, 0, &buf); err != nil {
				return err
			}
		}
		return nil
	}
	per, err := t.perIter(ctx, run)
	if err == nil && len(buf) != size {
		err = fmt.Errorf("bcast: rank %d got %d bytes of %d", c.Rank(), len(buf), size)
	}
	return per, err
}

// allreduce times comm.AllreduceInto(Sum) of a []float64 of size/8
// elements into a buffer allocated once, as osu_allreduce and mpi4py's
// buffer Allreduce do (comm.Allreduce, which returns a fresh result, is
// BenchmarkAllreduce in package comm).
func allreduce(ctx context.Context, t timer, size int) (float64, error) {
	c := t.c
	v := make([]float64, size/8)
	for i := range v {
		v[i] = 1
	}
	out := make([]float64, len(v))
	run := func(n int) error {
		for range n {
			if err := comm.AllreduceInto(ctx, c, v, out, comm.Sum); err != nil {
				return err
			}
		}
		return nil
	}
	per, err := t.perIter(ctx, run)
	if err == nil && (len(out) != len(v) || out[len(out)-1] != float64(c.Size())) {
		err = fmt.Errorf("allreduce: rank %d got a wrong sum", c.Rank())
	}
	return per, err
}

// alltoall times comm.Alltoall with one []byte of size bytes for every
// rank pair.
func alltoall(ctx context.Context, t timer, size int) (float64, error) {
	c := t.c
	vs := make([][]byte, c.Size())
	for i := range vs {
		vs[i] = make([]byte, size)
	}
	var out [][]byte
	run := func(n int) error {
		for range n {
			var err error
			if out, err = comm.Alltoall(ctx, c, vs); err != nil {
				return err
			}
		}
		return nil
	}
	per, err := t.perIter(ctx, run)
	if err == nil && (len(out) != c.Size() || len(out[0]) != size) {
		err = fmt.Errorf("alltoall: rank %d got a wrong shape", c.Rank())
	}
	return per, err
}

// barrier times comm.Barrier.
func barrier(ctx context.Context, t timer) (float64, error) {
	return t.perIter(ctx, func(n int) error {
		for range n {
			if err := t.c.Barrier(ctx); err != nil {
				return err
			}
		}
		return nil
	})
}
