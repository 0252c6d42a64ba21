package commtest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// testOpMismatch: rank 0 reduces with one op, the others with another.
// The op is part of the call's identity, so every rank gets a
// *comm.MismatchError from the call.
func testOpMismatch(t *testing.T, mk MakeWorld) {
	concat := comm.NewOp("Concat", func(a, b string) string { return a + b })
	first := comm.NewOp("First", func(a, b string) string { return a })
	// A name whose hash alone, 16 + FNV-1a mod (2^24-16), is LAnd's kind.
	landLike := comm.NewOp("op12339859", func(a, b int) int { return a & b })
	calls := []struct {
		name string
		call func(ctx context.Context, c *comm.Comm, op0 bool) error
	}{
		{"Allreduce/scalar", func(ctx context.Context, c *comm.Comm, op0 bool) error {
			_, err := comm.Allreduce(ctx, c, 1.0, pick(op0, comm.Sum, comm.Max))
			return err
		}},
		{"Allreduce/slice", func(ctx context.Context, c *comm.Comm, op0 bool) error {
			_, err := comm.Allreduce(ctx, c, []int64{1, 2, 3, 4, 5, 6, 7, 8}, pick(op0, comm.Sum, comm.Max))
			return err
		}},
		{"Allreduce/large", func(ctx context.Context, c *comm.Comm, op0 bool) error {
			_, err := comm.Allreduce(ctx, c, make([]float64, 1<<14), pick(op0, comm.Min, comm.Prod))
			return err
		}},
		{"Allreduce/user", func(ctx context.Context, c *comm.Comm, op0 bool) error {
			_, err := comm.Allreduce(ctx, c, "x", pick(op0, concat, first))
			return err
		}},
		{"Allreduce/user-builtin", func(ctx context.Context, c *comm.Comm, op0 bool) error {
			_, err := comm.Allreduce(ctx, c, 1, pick(op0, landLike, comm.LAnd))
			return err
		}},
		{"Reduce", func(ctx context.Context, c *comm.Comm, op0 bool) error {
			_, err := comm.Reduce(ctx, c, 0, 2.0, pick(op0, comm.Sum, comm.Prod))
			return err
		}},
		{"Scan", func(ctx context.Context, c *comm.Comm, op0 bool) error {
			_, err := comm.Scan(ctx, c, 3, pick(op0, comm.Max, comm.Min))
			return err
		}},
	}
	for _, call := range calls {
		for _, n := range []int{2, 3, 4} {
			t.Run(call.name+"/"+sizeName(n), func(t *testing.T) {
				var mu sync.Mutex
				errs := make([]error, n)
				world(t, mk, n, func(ctx context.Context, c *comm.Comm) error {
					err := call.call(ctx, c, c.Rank() == 0)
					mu.Lock()
					errs[c.Rank()] = err
					mu.Unlock()
					return err
				})
				for r, err := range errs {
					var me *comm.MismatchError
					if !errors.As(err, &me) {
						t.Errorf("rank %d: got %v, want a *comm.MismatchError", r, err)
					} else if msg := err.Error(); strings.Count(msg, "Allreduce")+strings.Count(msg, "Reduce")+strings.Count(msg, "Scan") < 2 {
						t.Errorf("rank %d: %q does not name both calls", r, msg)
					}
				}
			})
		}
	}
}

func pick(first bool, a, b comm.Op) comm.Op {
	if first {
		return a
	}
	return b
}

// testCountMismatch: one rank's Allreduce slice has another length than
// the others'. The element count is part of the call's identity, so every
// rank gets a *comm.MismatchError, however the lengths fall: ring blocks
// of equal lengths on every rank but one, one rank below the large-slice
// threshold and the others above it, one element more on the last rank.
func testCountMismatch(t *testing.T, mk MakeWorld) {
	const large = 1 << 14 // float64s: above the large-slice threshold
	cases := []struct {
		name string
		odd  func(n int) (rank, count int) // the one rank with another count
	}{
		{"LastRankOneMore", func(n int) (int, int) { return n - 1, large + 1 }},
		{"FirstRankSmall", func(n int) (int, int) { return 0, 1000 }},
		{"EqualBlocksButOne", func(n int) (int, int) { return 1, large + n - 1 }},
	}
	for _, tc := range cases {
		for _, n := range []int{2, 3, 4, 7} {
			t.Run(tc.name+"/"+sizeName(n), func(t *testing.T) {
				odd, count := tc.odd(n)
				var mu sync.Mutex
				errs := make([]error, n)
				world(t, mk, n, func(ctx context.Context, c *comm.Comm) error {
					m := large
					if c.Rank() == odd {
						m = count
					}
					v := make([]float64, m)
					for i := range v {
						v[i] = float64(c.Rank() + i)
					}
					_, err := comm.Allreduce(ctx, c, v, comm.Sum)
					mu.Lock()
					errs[c.Rank()] = err
					mu.Unlock()
					return err
				})
				for r, err := range errs {
					var me *comm.MismatchError
					if !errors.As(err, &me) {
						t.Errorf("rank %d: got %v, want a *comm.MismatchError", r, err)
					}
				}
			})
		}
	}
}
