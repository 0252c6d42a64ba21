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
	// The FNV-1a hash of this name once put its identity on LAnd's.
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
