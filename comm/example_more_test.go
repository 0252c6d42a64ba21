package comm_test

import (
	"context"
	"fmt"

	"github.com/gorun-dev/gorun/comm"
)

// A server rank takes requests of different types with Mprobe and
// receives each into the type its tag announces. Unlike Probe then Recv,
// no other goroutine of the rank can receive the probed message meanwhile.
func ExampleComm_Mprobe() {
	comm.Run(context.Background(), 2, func(ctx context.Context, c *comm.Comm) error {
		const text, numbers = 1, 2
		if c.Rank() == 1 {
			c.Send(ctx, 0, text, "hello")
			return c.Send(ctx, 0, numbers, []float64{1, 2, 3})
		}
		for range 2 {
			m, st, err := c.Mprobe(ctx, comm.AnySource, comm.AnyTag)
			if err != nil {
				return err
			}
			switch st.Tag {
			case text:
				var s string
				m.Recv(&s)
				fmt.Println("text:", s)
			case numbers:
				var xs []float64
				m.Recv(&xs)
				fmt.Println("numbers:", xs, "count", st.Count())
			}
		}
		return nil
	})
	// Output:
	// text: hello
	// numbers: [1 2 3] count 3
}

// Ssend returns only once the receiver has matched the message: replacing
// Send by Ssend shows whether a program relies on buffering.
func ExampleComm_Ssend() {
	comm.Run(context.Background(), 2, func(ctx context.Context, c *comm.Comm) error {
		if c.Rank() == 0 {
			if err := c.Ssend(ctx, 1, 0, "matched"); err != nil {
				return err
			}
			fmt.Println("rank 1 has received the message")
			return nil
		}
		var s string
		_, err := c.Recv(ctx, 0, 0, &s)
		return err
	})
	// Output: rank 1 has received the message
}

// The largest value and the rank holding it, exact for int64 keys.
func ExampleIntLoc() {
	comm.Run(context.Background(), 3, func(ctx context.Context, c *comm.Comm) error {
		key := int64(1)<<60 + int64(c.Rank()%2) // beyond float64's exact integers
		best, err := comm.Allreduce(ctx, c, comm.IntLoc{Value: key, Index: c.Rank()}, comm.MaxLoc)
		if err != nil {
			return err
		}
		if c.Rank() == 0 {
			fmt.Println(best.Value-1<<60, "at rank", best.Index)
		}
		return nil
	})
	// Output: 1 at rank 1
}

// ReduceLocal applies an op on one rank, as the collectives would.
func ExampleReduceLocal() {
	x, _ := comm.ReduceLocal(comm.BXor, 0b1100, 0b1010)
	s, _ := comm.ReduceLocal(comm.Sum, []int8{1, 2}, []int8{10, 20})
	last, _ := comm.ReduceLocal(comm.Replace, "first", "second")
	fmt.Printf("%04b %v %s\n", x, s, last)
	// Output: 0110 [11 22] second
}

// A user op that is commutative lets Reduce combine at any root directly.
func ExampleNewCommutativeOp() {
	gcd := comm.NewCommutativeOp("gcd", func(a, b int) int {
		for b != 0 {
			a, b = b, a%b
		}
		return a
	})
	comm.Run(context.Background(), 3, func(ctx context.Context, c *comm.Comm) error {
		g, err := comm.Reduce(ctx, c, 2, []int{12, 18, 30}[c.Rank()], gcd)
		if err == nil && c.Rank() == 2 {
			fmt.Println("gcd:", g)
		}
		return err
	})
	// Output: gcd: 6
}

// Mode tells how the ranks run; Wtime times a step.
func ExampleComm_Mode() {
	comm.Run(context.Background(), 2, func(ctx context.Context, c *comm.Comm) error {
		start := comm.Wtime()
		err := c.Barrier(ctx)
		if c.Rank() == 0 {
			fmt.Println(c.Mode(), comm.Wtime() >= start)
		}
		return err
	})
	// Output: goroutines true
}
