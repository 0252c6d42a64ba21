package commtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
)

// collCall is one collective call of a rank, for the mismatch tables.
type collCall struct {
	name string
	do   func(ctx context.Context, c *comm.Comm) (any, error)
}

func bcastCall(root int) collCall {
	return collCall{fmt.Sprintf("Bcast(root %d)", root), func(ctx context.Context, c *comm.Comm) (any, error) {
		v := []float64{float64(c.Rank()), 2}
		err := comm.Bcast(ctx, c, root, &v)
		return v, err
	}}
}

func gatherCall(root int) collCall {
	return collCall{fmt.Sprintf("Gather(root %d)", root), func(ctx context.Context, c *comm.Comm) (any, error) {
		return comm.Gather(ctx, c, root, c.Rank())
	}}
}

func scattervCall(root int) collCall {
	return collCall{fmt.Sprintf("Scatterv(root %d)", root), func(ctx context.Context, c *comm.Comm) (any, error) {
		return comm.Scatterv(ctx, c, root, make([]int64, 2*c.Size()), nil)
	}}
}

func reduceCall(root int, op comm.Op) collCall {
	return collCall{fmt.Sprintf("Reduce(root %d, %v)", root, op), func(ctx context.Context, c *comm.Comm) (any, error) {
		return comm.Reduce(ctx, c, root, float64(c.Rank()+1), op)
	}}
}

func allreduceCall(op comm.Op, n int) collCall {
	return collCall{fmt.Sprintf("Allreduce(%v, %d elements)", op, n), func(ctx context.Context, c *comm.Comm) (any, error) {
		return comm.Allreduce(ctx, c, make([]float64, n), op)
	}}
}

func scanCall(op comm.Op) collCall {
	return collCall{fmt.Sprintf("Exscan(%v)", op), func(ctx context.Context, c *comm.Comm) (any, error) {
		return comm.Exscan(ctx, c, c.Rank()+1, op)
	}}
}

func reduceScatterCall(n int) collCall {
	return collCall{fmt.Sprintf("ReduceScatter(%d each)", n), func(ctx context.Context, c *comm.Comm) (any, error) {
		return comm.ReduceScatter(ctx, c, make([]int64, n*c.Size()), nil, comm.Sum)
	}}
}

var barrierCall = collCall{"Barrier", func(ctx context.Context, c *comm.Comm) (any, error) { return nil, c.Barrier(ctx) }}

var allgatherCall = collCall{"Allgather", func(ctx context.Context, c *comm.Comm) (any, error) {
	return comm.Allgather(ctx, c, c.Rank())
}}

// testEveryRankMismatch: ranks split into two groups that call collectives
// differing in kind, root, reduction op or element count. Every rank's call
// must fail with a *comm.MismatchError within noticeWithin: none may
// return a result (its peers made another call) and none may hang. No rank
// leaves before every rank has its outcome, so none fails for a peer gone.
func testEveryRankMismatch(t *testing.T, mk MakeWorld) {
	abs := comm.NewOp("AbsMax", func(a, b float64) float64 { return max(a, -a, b, -b) })
	pairs := []struct {
		kind string
		a, b func(n int) collCall
	}{
		{"call", func(n int) collCall { return bcastCall(0) }, func(n int) collCall { return gatherCall(0) }},
		{"call", func(n int) collCall { return barrierCall }, func(n int) collCall { return scanCall(comm.Sum) }},
		{"call", func(n int) collCall { return allgatherCall }, func(n int) collCall { return gatherCall(n - 1) }},
		{"call", func(n int) collCall { return allreduceCall(comm.Sum, 2) }, func(n int) collCall { return reduceScatterCall(1) }},
		{"root", func(n int) collCall { return bcastCall(0) }, func(n int) collCall { return bcastCall(n - 1) }},
		{"root", func(n int) collCall { return gatherCall(n - 1) }, func(n int) collCall { return gatherCall(0) }},
		{"root", func(n int) collCall { return scattervCall(0) }, func(n int) collCall { return scattervCall(1) }},
		{"root", func(n int) collCall { return reduceCall(0, comm.Sum) }, func(n int) collCall { return reduceCall(1, comm.Sum) }},
		{"op", func(n int) collCall { return reduceCall(0, comm.Sum) }, func(n int) collCall { return reduceCall(0, abs) }},
		{"op", func(n int) collCall { return scanCall(comm.Max) }, func(n int) collCall { return scanCall(comm.Min) }},
		{"op", func(n int) collCall { return allreduceCall(comm.Sum, 3) }, func(n int) collCall { return allreduceCall(comm.Prod, 3) }},
		{"count", func(n int) collCall { return allreduceCall(comm.Sum, 1) }, func(n int) collCall { return allreduceCall(comm.Sum, 4) }},
		{"count", func(n int) collCall { return reduceScatterCall(1) }, func(n int) collCall { return reduceScatterCall(3) }},
	}
	// groups are the ranks that make call a, by world size: the first, the
	// last, every other, the lower half.
	groups := []func(r, n int) bool{
		func(r, n int) bool { return r == 0 },
		func(r, n int) bool { return r == n-1 },
		func(r, n int) bool { return r%2 == 1 },
		func(r, n int) bool { return r < n/2 },
	}
	for i, pair := range pairs {
		for j, n := range []int{2, 3, 4, 8} {
			inA := groups[(i+j)%len(groups)]
			a, b := pair.a(n), pair.b(n)
			t.Run(fmt.Sprintf("%s/%s-vs-%s/%s", pair.kind, a.name, b.name, sizeName(n)), func(t *testing.T) {
				errs, took := make([]error, n), make([]time.Duration, n)
				results := make([]any, n)
				var done sync.WaitGroup
				done.Add(n)
				world(t, mk, n, func(ctx context.Context, c *comm.Comm) error {
					call := b
					if inA(c.Rank(), n) {
						call = a
					}
					start := time.Now()
					results[c.Rank()], errs[c.Rank()] = call.do(ctx, c)
					took[c.Rank()] = time.Since(start)
					done.Done()
					done.Wait()
					return nil
				})
				for r, err := range errs {
					var me *comm.MismatchError
					switch {
					case err == nil:
						t.Errorf("rank %d returned %v from a mismatched call", r, results[r])
					case !errors.As(err, &me):
						t.Errorf("rank %d: got %v, want a *comm.MismatchError", r, err)
					case took[r] > noticeWithin:
						t.Errorf("rank %d: mismatch reported after %v", r, took[r])
					}
				}
			})
		}
	}
}
