package comm

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"testing"
)

// withProcs runs the test with at least n processors, so that n ranks can
// run at once.
func withProcs(t *testing.T, n int) {
	old := runtime.GOMAXPROCS(max(n, runtime.GOMAXPROCS(0)))
	t.Cleanup(func() { runtime.GOMAXPROCS(old) })
}

// TestSmallAllreduceSameBits: small Allreduces of float64s give every rank
// the same bits (the ranks combine in one order, lower ranks first), close
// to the rank-order fold, and interleave with other collectives; at world
// sizes that are powers of two and not.
func TestSmallAllreduceSameBits(t *testing.T) {
	withProcs(t, 8)
	ops := []struct {
		op Op
		f  func(a, b float64) float64
	}{
		{Sum, func(a, b float64) float64 { return a + b }},
		{Prod, func(a, b float64) float64 { return a * b }},
		{Min, func(a, b float64) float64 { return min(a, b) }},
		{Max, func(a, b float64) float64 { return max(a, b) }},
	}
	const calls = 60
	for _, p := range []int{2, 3, 4, 7, 8} {
		t.Run(fmt.Sprintf("ranks=%d", p), func(t *testing.T) {
			got := make([][calls][]float64, p) // got[rank][call]
			contrib := func(i, r, n int) []float64 {
				v := make([]float64, n)
				for e := range v {
					v[e] = 0.1*float64(r+1) + float64(i*e) + 1/3.0
				}
				return v
			}
			err := Run(context.Background(), p, func(ctx context.Context, c *Comm) error {
				for i := range calls {
					out, err := Allreduce(ctx, c, contrib(i, c.Rank(), i%6+1), ops[i%len(ops)].op)
					if err != nil {
						return err
					}
					got[c.Rank()][i] = out
					sum, err := Allreduce(ctx, c, int64(c.Rank()+i), Sum)
					if err != nil {
						return err
					}
					if want := int64(p*i + p*(p-1)/2); sum != want {
						return fmt.Errorf("call %d: scalar sum %d, want %d", i, sum, want)
					}
					if i%7 == 0 {
						x := i * c.Rank()
						if err := Bcast(ctx, c, i%p, &x); err != nil || x != i*(i%p) {
							return fmt.Errorf("call %d: Bcast gave %d, %v", i, x, err)
						}
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for i := range calls {
				o := ops[i%len(ops)]
				want := contrib(i, 0, i%6+1)
				for r := 1; r < p; r++ {
					for e, x := range contrib(i, r, len(want)) {
						want[e] = o.f(want[e], x)
					}
				}
				for r := range p {
					for e := range want {
						if math.Float64bits(got[r][i][e]) != math.Float64bits(got[0][i][e]) {
							t.Fatalf("call %d (%s) element %d: rank %d got %v, rank 0 %v", i, o.op, e, r, got[r][i][e], got[0][i][e])
						}
						if d := math.Abs(got[r][i][e] - want[e]); d > 1e-12*math.Abs(want[e]) {
							t.Fatalf("call %d (%s) element %d: %v, want %v", i, o.op, e, got[r][i][e], want[e])
						}
					}
				}
			}
		})
	}
}
