package comm_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/gorun-dev/gorun/comm"
)

// Run starts a goroutine world: here rank 0 sends a greeting to rank 1,
// then rank 0 broadcasts a value to every rank. A third step makes the
// ranks call different collectives, which every rank gets as a
// *comm.MismatchError instead of a hang.
func ExampleRun() {
	msgs := make([]string, 3)
	err := comm.Run(context.Background(), 3, func(ctx context.Context, c *comm.Comm) error {
		switch c.Rank() {
		case 0:
			if err := c.Send(ctx, 1, 7, "hello from 0"); err != nil {
				return err
			}
		case 1:
			var s string
			if _, err := c.Recv(ctx, 0, 7, &s); err != nil {
				return err
			}
			msgs[1] = s
		}
		x := 0
		if c.Rank() == 0 {
			x = 42
		}
		if err := comm.Bcast(ctx, c, 0, &x); err != nil {
			return err
		}
		if c.Rank() == 2 {
			msgs[2] = fmt.Sprint("rank 2 got ", x)
		}
		return nil
	})
	fmt.Println(msgs[1], "/", msgs[2], "/", err)

	err = comm.Run(context.Background(), 2, func(ctx context.Context, c *comm.Comm) error {
		if c.Rank() == 0 {
			return c.Barrier(ctx)
		}
		v := 1.0
		return comm.Bcast(ctx, c, 1, &v)
	})
	var me *comm.MismatchError
	if errors.As(err, &me) {
		fmt.Println("mismatch at call", me.Seq)
	}
	// Output:
	// hello from 0 / rank 2 got 42 / <nil>
	// mismatch at call 0
}
