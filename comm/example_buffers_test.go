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

// A receive into a buffer, posted before its message is sent, as
// MPI_Irecv: the rank may compute meanwhile and Wait for it later.
func ExampleIrecvInto() {
	comm.Run(context.Background(), 2, func(ctx context.Context, c *comm.Comm) error {
		if c.Rank() == 1 {
			return c.Send(ctx, 0, 0, []int64{10, 20})
		}
		buf := make([]int64, 3)
		req := comm.IrecvInto(c, 1, 0, buf)
		st, err := req.Wait(ctx)
		if err != nil {
			return err
		}
		fmt.Println(st.Count(), buf)
		return nil
	})
	// Output: 2 [10 20 0]
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

// Every rank writes its own block of one buffer and gets the others'
// (MPI_Allgather with MPI_IN_PLACE).
func ExampleAllgatherInPlace() {
	got := make([][]int, 3)
	comm.Run(context.Background(), 3, func(ctx context.Context, c *comm.Comm) error {
		r := c.Rank()
		buf := make([]int, 2*c.Size())
		buf[2*r], buf[2*r+1] = 10*r, 10*r+1
		if err := comm.AllgatherInPlace(ctx, c, buf); err != nil {
			return err
		}
		got[r] = buf
		return nil
	})
	fmt.Println(got)
	// Output: [[0 1 10 11 20 21] [0 1 10 11 20 21] [0 1 10 11 20 21]]
}

// Root gathers blocks of different lengths where their displacements say,
// in reverse rank order and with a gap that stays as it was.
func ExampleGathervInto() {
	comm.Run(context.Background(), 3, func(ctx context.Context, c *comm.Comm) error {
		r := c.Rank()
		send := make([]string, r+1) // rank r sends r+1 copies of its name
		for i := range send {
			send[i] = fmt.Sprint("r", r)
		}
		counts, displs := []int{1, 2, 3}, []int{6, 3, 0}
		var recv []string
		if r == 0 {
			recv = make([]string, 7)
			recv[5] = "gap"
		}
		if err := comm.GathervInto(ctx, c, 0, send, recv, counts, displs); err != nil {
			return err
		}
		if r == 0 {
			fmt.Println(recv)
		}
		return nil
	})
	// Output: [r2 r2 r2 r1 r1 gap r0]
}

// A ring of four ranks: each gets its left and right neighbours' values
// (MPI_Neighbor_allgather on a periodic 1-D grid).
func ExampleNeighborAllgather() {
	got := make([][]int, 4)
	comm.Run(context.Background(), 4, func(ctx context.Context, c *comm.Comm) error {
		ring, err := comm.NewCart(ctx, c, []int{4}, []bool{true})
		if err != nil {
			return err
		}
		recv := make([]int, 2) // from the left, from the right
		if err := comm.NeighborAllgather(ctx, ring, []int{100 * ring.Rank()}, recv); err != nil {
			return err
		}
		got[ring.Rank()] = recv
		return nil
	})
	fmt.Println(got)
	// Output: [[300 100] [0 200] [100 300] [200 0]]
}
