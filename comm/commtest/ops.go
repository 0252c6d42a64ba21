package commtest

import (
	"context"
	"fmt"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// testOps checks the logical, bitwise and placement ops, IntLoc, a
// commutative user op and ReduceLocal against what the ranks' inputs imply.
func testOps(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		odd := r%2 == 1
		for _, tc := range []struct {
			op   comm.Op
			want bool
		}{{comm.LAnd, n == 1 && odd}, {comm.LOr, n > 1}, {comm.LXor, n/2%2 == 1}} {
			got, err := comm.Allreduce(ctx, c, odd, tc.op)
			if err != nil {
				return err
			}
			if got != tc.want {
				return fmt.Errorf("Allreduce %s over bool: got %v, want %v", tc.op, got, tc.want)
			}
			gotInt, err := comm.Allreduce(ctx, c, []int{r % 2, 1}, tc.op)
			if err != nil {
				return err
			}
			w := 0
			if tc.want {
				w = 1
			}
			if err := expect("Allreduce "+tc.op.String()+" over []int", gotInt, []int{w, map[bool]int{true: 1, false: 0}[tc.op != comm.LXor || n%2 == 1]}); err != nil {
				return err
			}
		}
		var and, or, xor uint8 = 0xff, 0, 0
		for i := range n {
			and &= uint8(1 << (i % 8))
			or |= uint8(1 << (i % 8))
			xor ^= uint8(1 << (i % 8))
		}
		for _, tc := range []struct {
			op   comm.Op
			want uint8
		}{{comm.BAnd, and}, {comm.BOr, or}, {comm.BXor, xor}} {
			got, err := comm.Allreduce(ctx, c, []uint8{uint8(1 << (r % 8))}, tc.op)
			if err != nil {
				return err
			}
			if err := expect("Allreduce "+tc.op.String()+" over []uint8", got, []uint8{tc.want}); err != nil {
				return err
			}
			got64, err := comm.Reduce(ctx, c, n-1, int64(1)<<(r%63), tc.op)
			if err != nil {
				return err
			}
			var want64 int64
			switch tc.op {
			case comm.BAnd:
				want64 = -1
				for i := range n {
					want64 &= 1 << (i % 63)
				}
			case comm.BOr:
				for i := range n {
					want64 |= 1 << (i % 63)
				}
			default:
				for i := range n {
					want64 ^= 1 << (i % 63)
				}
			}
			if r == n-1 && got64 != want64 {
				return fmt.Errorf("Reduce %s over int64: got %#x, want %#x", tc.op, got64, want64)
			}
		}
		// Replace keeps the last rank's value and NoOp the first's, for any
		// type and at every root.
		for root := range n {
			last, err := comm.Reduce(ctx, c, root, record{Name: fmt.Sprint(r)}, comm.Replace)
			if err != nil {
				return err
			}
			first, err := comm.Reduce(ctx, c, root, fmt.Sprint(r), comm.NoOp)
			if err != nil {
				return err
			}
			if r == root && (last.Name != fmt.Sprint(n-1) || first != "0") {
				return fmt.Errorf("Reduce Replace/NoOp at root %d: %q, %q", root, last.Name, first)
			}
		}
		all, err := comm.Allreduce(ctx, c, []float64{float64(r)}, comm.Replace)
		if err != nil {
			return err
		}
		if err := expect("Allreduce Replace", all, []float64{float64(n - 1)}); err != nil {
			return err
		}
		// IntLoc: keys beyond 2^53 stay exact.
		big := int64(1)<<60 + int64(r)
		maxLoc, err := comm.Allreduce(ctx, c, comm.IntLoc{Value: big, Index: r}, comm.MaxLoc)
		if err != nil {
			return err
		}
		if maxLoc != (comm.IntLoc{Value: 1<<60 + int64(n-1), Index: n - 1}) {
			return fmt.Errorf("MaxLoc over IntLoc: %+v", maxLoc)
		}
		minLoc, err := comm.Allreduce(ctx, c, []comm.IntLoc{{Value: big, Index: r}}, comm.MinLoc)
		if err != nil {
			return err
		}
		if minLoc[0] != (comm.IntLoc{Value: 1 << 60, Index: 0}) {
			return fmt.Errorf("MinLoc over []IntLoc: %+v", minLoc)
		}
		// A commutative user op at every root.
		sum := comm.NewCommutativeOp("sum", func(a, b int) int { return a + b })
		for root := range n {
			got, err := comm.Reduce(ctx, c, root, r, sum)
			if err != nil {
				return err
			}
			if r == root && got != n*(n-1)/2 {
				return fmt.Errorf("Reduce of a commutative op at root %d: %d", root, got)
			}
		}
		// ReduceLocal applies an op on one rank as the collectives do.
		if v, err := comm.ReduceLocal(comm.BXor, 6, 3); err != nil || v != 5 {
			return fmt.Errorf("ReduceLocal BXor: %d, %v", v, err)
		}
		if v, err := comm.ReduceLocal(comm.Sum, []int8{100}, []int8{27}); err != nil || v[0] != 127 {
			return fmt.Errorf("ReduceLocal Sum: %v, %v", v, err)
		}
		if _, err := comm.ReduceLocal(comm.BAnd, 1.5, 2.5); err == nil {
			return fmt.Errorf("ReduceLocal BAnd over float64 succeeded")
		}
		if _, err := comm.ReduceLocal(comm.Max, 1i, 2i); err == nil {
			return fmt.Errorf("ReduceLocal Max over complex128 succeeded")
		}
		return nil
	})
}
