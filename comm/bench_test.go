package comm_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// benchWorld runs body on both ranks of a 2-rank goroutine world; rank 0
// owns the timer.
func benchWorld(b *testing.B, n int, body func(ctx context.Context, c *comm.Comm) error) {
	b.Helper()
	err := comm.Run(context.Background(), n, func(ctx context.Context, c *comm.Comm) error {
		if err := c.Barrier(ctx); err != nil {
			return err
		}
		if c.Rank() == 0 {
			b.ResetTimer()
		}
		return body(ctx, c)
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPingPong reports the one-way time of a ping-pong between two
// goroutine ranks (ns/op is per one-way message).
func BenchmarkPingPong(b *testing.B) {
	for _, size := range []int{8, 1 << 20} {
		b.Run(fmt.Sprintf("bytes=%d", size), func(b *testing.B) {
			msg := make([]byte, size)
			b.SetBytes(int64(size))
			benchWorld(b, 2, func(ctx context.Context, c *comm.Comm) error {
				var in []byte
				peer := 1 - c.Rank()
				for i := 0; i < b.N; i += 2 {
					if c.Rank() == 0 {
						if err := c.Send(ctx, peer, 0, msg); err != nil {
							return err
						}
						if _, err := c.Recv(ctx, peer, 0, &in); err != nil {
							return err
						}
					} else {
						if _, err := c.Recv(ctx, peer, 0, &in); err != nil {
							return err
						}
						if err := c.Send(ctx, peer, 0, in); err != nil {
							return err
						}
					}
				}
				return nil
			})
		})
	}
}

// BenchmarkAllreduce times one Allreduce of float64s per op.
func BenchmarkAllreduce(b *testing.B) {
	for _, ranks := range []int{2, 4} {
		for _, n := range []int{1, 1 << 17} {
			b.Run(fmt.Sprintf("ranks=%d/bytes=%d", ranks, 8*n), func(b *testing.B) {
				b.SetBytes(int64(8 * n))
				benchWorld(b, ranks, func(ctx context.Context, c *comm.Comm) error {
					v := make([]float64, n)
					for range b.N {
						if _, err := comm.Allreduce(ctx, c, v, comm.Sum); err != nil {
							return err
						}
					}
					return nil
				})
			})
		}
	}
}

// BenchmarkAllreduceInto times AllreduceInto of float64s into one buffer.
func BenchmarkAllreduceInto(b *testing.B) {
	for _, ranks := range []int{2, 4} {
		for _, n := range []int{1, 1 << 17} {
			b.Run(fmt.Sprintf("ranks=%d/bytes=%d", ranks, 8*n), func(b *testing.B) {
				b.SetBytes(int64(8 * n))
				benchWorld(b, ranks, func(ctx context.Context, c *comm.Comm) error {
					v, out := make([]float64, n), make([]float64, n)
					for range b.N {
						if err := comm.AllreduceInto(ctx, c, v, out, comm.Sum); err != nil {
							return err
						}
					}
					return nil
				})
			})
		}
	}
}

// BenchmarkCollectives times the other collectives on 4 ranks, 8 B and 64 KiB.
func BenchmarkCollectives(b *testing.B) {
	ops := map[string]func(ctx context.Context, c *comm.Comm, v []byte) error{
		"Barrier": func(ctx context.Context, c *comm.Comm, v []byte) error { return c.Barrier(ctx) },
		"Bcast":   func(ctx context.Context, c *comm.Comm, v []byte) error { return comm.Bcast(ctx, c, 0, &v) },
		"Alltoall": func(ctx context.Context, c *comm.Comm, v []byte) error {
			_, err := comm.Alltoall(ctx, c, [][]byte{v, v, v, v})
			return err
		},
		"Allgather": func(ctx context.Context, c *comm.Comm, v []byte) error {
			_, err := comm.Allgather(ctx, c, v)
			return err
		},
		"Gather": func(ctx context.Context, c *comm.Comm, v []byte) error {
			_, err := comm.Gather(ctx, c, 0, v)
			return err
		},
		"Reduce": func(ctx context.Context, c *comm.Comm, v []byte) error {
			_, err := comm.Reduce(ctx, c, 0, v, comm.BXor)
			return err
		},
	}
	for name, op := range ops {
		for _, size := range []int{8, 64 << 10} {
			b.Run(fmt.Sprintf("%s/bytes=%d", name, size), func(b *testing.B) {
				benchWorld(b, 4, func(ctx context.Context, c *comm.Comm) error {
					v := make([]byte, size)
					for range b.N {
						if err := op(ctx, c, v); err != nil {
							return err
						}
					}
					return nil
				})
			})
		}
	}
}
