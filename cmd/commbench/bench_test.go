package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// benchWorld runs fn(n) on a 2-rank goroutine world, timing b.N
// iterations of it (rank 0's view), for go test -bench -cpuprofile.
func benchWorld(b *testing.B, size int, fn func(ctx context.Context, t timer, size int) batchFunc) {
	b.SetBytes(int64(size))
	b.ReportAllocs()
	err := comm.Run(context.Background(), 2, func(ctx context.Context, c *comm.Comm) error {
		run := fn(ctx, timer{c: c}, size)
		if err := run(1); err != nil { // warm up
			return err
		}
		if err := c.Barrier(ctx); err != nil {
			return err
		}
		if c.Rank() == 0 {
			b.ResetTimer()
		}
		err := run(b.N)
		if c.Rank() == 0 {
			b.StopTimer()
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
}

func pingPongBatch(ctx context.Context, t timer, size int) batchFunc {
	c, buf := t.c, make([]byte, size)
	var in []byte
	return func(n int) error {
		for range n {
			var err error
			if c.Rank() == 0 {
				if err = c.Send(ctx, 1, tagData, buf); err == nil {
					_, err = c.Recv(ctx, 1, tagData, &in)
				}
			} else if _, err = c.Recv(ctx, 0, tagData, &in); err == nil {
				err = c.Send(ctx, 0, tagData, in)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
}

func allreduceBatch(ctx context.Context, t timer, size int) batchFunc {
	v := make([]float64, size/8)
	return func(n int) error {
		for range n {
			if _, err := comm.Allreduce(ctx, t.c, v, comm.Sum); err != nil {
				return err
			}
		}
		return nil
	}
}

// BenchmarkPingPong reports the round trip (ns/op is two one-way hops).
func BenchmarkPingPong(b *testing.B) {
	for _, size := range []int{8, 1 << 20} {
		b.Run(fmt.Sprint(size), func(b *testing.B) { benchWorld(b, size, pingPongBatch) })
	}
}

func BenchmarkAllreduce(b *testing.B) {
	for _, size := range []int{8, 1 << 20} {
		b.Run(fmt.Sprint(size), func(b *testing.B) { benchWorld(b, size, allreduceBatch) })
	}
}
