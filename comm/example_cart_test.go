package comm_test

import (
	"context"
	"fmt"

	"github.com/gorun-dev/gorun/comm"
)

// Six ranks as a 3x2 grid, periodic in rows only: each rank passes its
// rank one step down its column with Shift and Sendrecv; the top row gets
// the bottom row's (periodic), and nothing crosses the column edges.
func ExampleNewCart() {
	lines := make([]string, 6)
	comm.Run(context.Background(), 6, func(ctx context.Context, c *comm.Comm) error {
		dims, err := comm.DimsCreate(c.Size(), []int{0, 0})
		if err != nil {
			return err
		}
		g, err := comm.NewCart(ctx, c, dims, []bool{true, false})
		if err != nil {
			return err
		}
		src, dst := g.Shift(0, 1)
		from := -1
		if _, err := g.Sendrecv(ctx, dst, 0, g.Rank(), src, 0, &from); err != nil {
			return err
		}
		left, right := g.Shift(1, 1)
		lines[g.Rank()] = fmt.Sprintf("%v at %v: from %d above; neighbours %d %d", dims, g.Coords(g.Rank()), from, left, right)
		return nil
	})
	for _, l := range lines {
		fmt.Println(l)
	}
	// Output:
	// [3 2] at [0 0]: from 4 above; neighbours -2 1
	// [3 2] at [0 1]: from 5 above; neighbours 0 -2
	// [3 2] at [1 0]: from 0 above; neighbours -2 3
	// [3 2] at [1 1]: from 1 above; neighbours 2 -2
	// [3 2] at [2 0]: from 2 above; neighbours -2 5
	// [3 2] at [2 1]: from 3 above; neighbours 4 -2
}
