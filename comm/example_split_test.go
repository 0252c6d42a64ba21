package comm_test

import (
	"context"
	"fmt"

	"github.com/gorun-dev/gorun/comm"
)

// Six ranks as a grid of 2 rows and 3 columns: Split gives each rank its
// row's and its column's communicator, and a sum along a row involves that
// row's ranks only.
func ExampleComm_Split() {
	sums := make([]string, 6)
	comm.Run(context.Background(), 6, func(ctx context.Context, c *comm.Comm) error {
		const cols = 3
		r := c.Rank()
		row, err := c.Split(ctx, r/cols, r%cols) // color: my row; key: my column
		if err != nil {
			return err
		}
		col, err := c.Split(ctx, r%cols, r/cols)
		if err != nil {
			return err
		}
		rowSum, err := comm.Allreduce(ctx, row, r, comm.Sum)
		if err != nil {
			return err
		}
		colSum, err := comm.Allreduce(ctx, col, r, comm.Sum)
		if err != nil {
			return err
		}
		sums[r] = fmt.Sprintf("rank %d: row %d (rank %d of %d) sum %d, column sum %d",
			r, r/cols, row.Rank(), row.Size(), rowSum, colSum)
		return nil
	})
	for _, s := range sums {
		fmt.Println(s)
	}
	// Output:
	// rank 0: row 0 (rank 0 of 3) sum 3, column sum 3
	// rank 1: row 0 (rank 1 of 3) sum 3, column sum 5
	// rank 2: row 0 (rank 2 of 3) sum 3, column sum 7
	// rank 3: row 1 (rank 0 of 3) sum 12, column sum 3
	// rank 4: row 1 (rank 1 of 3) sum 12, column sum 5
	// rank 5: row 1 (rank 2 of 3) sum 12, column sum 7
}

// A library works on a Dup of its caller's communicator, so that its
// messages never match the caller's, even with the same tags.
func ExampleComm_Dup() {
	comm.Run(context.Background(), 2, func(ctx context.Context, c *comm.Comm) error {
		lib, err := c.Dup(ctx)
		if err != nil {
			return err
		}
		peer := 1 - c.Rank()
		c.Send(ctx, peer, 0, "the caller's")
		lib.Send(ctx, peer, 0, "the library's")
		var s string
		lib.Recv(ctx, comm.AnySource, comm.AnyTag, &s)
		if c.Rank() == 0 {
			fmt.Println("the library received", s, "message")
		}
		_, err = c.Recv(ctx, peer, 0, &s)
		return err
	})
	// Output: the library received the library's message
}
