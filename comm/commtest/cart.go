package commtest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// testCart checks DimsCreate, and on a grid made by NewCart (periodic in
// its first dimension only) Coords, RankOf and a Sendrecv shift along each
// dimension, with ProcNull beyond the non-periodic edges.
func testCart(t *testing.T, mk MakeWorld) {
	for _, tc := range []struct {
		n          int
		dims, want []int
	}{
		{12, []int{0, 0}, []int{4, 3}}, {7, []int{0, 0}, []int{7, 1}}, {8, []int{0, 0, 0}, []int{2, 2, 2}},
		{6, []int{0, 3}, []int{2, 3}}, {16, []int{0, 0}, []int{4, 4}}, {1, []int{0}, []int{1}},
	} {
		if got, err := comm.DimsCreate(tc.n, tc.dims); err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("DimsCreate(%d, %v) = %v, %v; want %v", tc.n, tc.dims, got, err, tc.want)
		}
	}
	if _, err := comm.DimsCreate(5, []int{2, 0}); err == nil {
		t.Errorf("DimsCreate(5, [2 0]) succeeded")
	}
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		dims, err := comm.DimsCreate(n, []int{0, 0})
		if err != nil {
			return err
		}
		g, err := comm.NewCart(ctx, c, dims, []bool{true, false})
		if err != nil {
			return err
		}
		co := g.Coords(g.Rank())
		if g.RankOf(co) != g.Rank() || co[0]*dims[1]+co[1] != r {
			return fmt.Errorf("Coords(%d) = %v, RankOf gives %d", r, co, g.RankOf(co))
		}
		for dim := range 2 {
			src, dst := g.Shift(dim, 1)
			got := -1
			if _, err := g.Sendrecv(ctx, dst, dim, r, src, dim, &got); err != nil {
				return err
			}
			want := -1
			if src != comm.ProcNull {
				want = src
			}
			c2 := slices.Clone(co)
			c2[dim]--
			if dim == 0 {
				c2[0] = (c2[0] + dims[0]) % dims[0]
			}
			if c2[dim] < 0 && src != comm.ProcNull || c2[dim] >= 0 && src != c2[0]*dims[1]+c2[1] {
				return fmt.Errorf("Shift(%d, 1) at %v: source %d", dim, co, src)
			}
			if got != want {
				return fmt.Errorf("shift along %d at %v: got %d, want %d", dim, co, got, want)
			}
		}
		return nil
	})
}
