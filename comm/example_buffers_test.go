package comm_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/gorun-dev/gorun/comm"
)

// A receive into a buffer the program already has, as MPI_Recv: the
// message fills its first elements, Status.Count says how many, and the
// rest of the buffer stays as it was.
func ExampleRecvInto() {
	comm.Run(context.Background(), 2, func(ctx context.Context, c *comm.Comm) error {
		if c.Rank() == 1 {
			return c.Send(ctx, 0, 0, []float64{1.5, 2.5, 3.5})
		}
		buf := []float64{0, 0, 0, 0, -1}
		st, err := comm.RecvInto(ctx, c, 1, 0, buf)
		if err != nil {
			return err
		}
		fmt.Println(st.Count(), buf)
		return nil
	})
	// Output: 3 [1.5 2.5 3.5 0 -1]
}

// A message longer than the buffer is MPI's truncation error, with the
// counts and the sender.
func ExampleTruncateError() {
	comm.Run(context.Background(), 2, func(ctx context.Context, c *comm.Comm) error {
		if c.Rank() == 1 {
			return c.Send(ctx, 0, 7, []byte("0123456789"))
		}
		_, err := comm.RecvInto(ctx, c, 1, 7, make([]byte, 4))
		var te *comm.TruncateError
		fmt.Println(errors.As(err, &te), te.Count, te.Len)
		fmt.Println(err)
		return nil
	})
	// Output:
	// true 10 4
	// comm: RecvInto: message truncated: 10 elements from rank 1 (tag 7), buffer holds 4
}

// Every rank keeps one buffer and root fills them all; in a goroutine
// world the ranks copy straight from root's buffer, with no message.
func ExampleBcastInto() {
	got := make([][]int64, 3)
	comm.Run(context.Background(), 3, func(ctx context.Context, c *comm.Comm) error {
		buf := make([]int64, 4)
		if c.Rank() == 0 {
			copy(buf, []int64{2, 3, 5, 7})
		}
		if err := comm.BcastInto(ctx, c, 0, buf); err != nil {
			return err
		}
		got[c.Rank()] = buf
		return nil
	})
	fmt.Println(got)
	// Output: [[2 3 5 7] [2 3 5 7] [2 3 5 7]]
}
