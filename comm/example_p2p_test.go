package comm_test

import (
	"context"
	"fmt"
	"sort"

	"github.com/gorun-dev/gorun/comm"
)

// A halo exchange on a line of ranks: each rank sends its edge values to
// its neighbours and receives theirs. The ends talk to ProcNull, so they
// run the same code as the interior and their missing halo stays as it was.
func ExampleComm_Sendrecv() {
	results := make([]string, 4)
	comm.Run(context.Background(), 4, func(ctx context.Context, c *comm.Comm) error {
		r := c.Rank()
		lo, hi := r-1, r+1
		if lo < 0 {
			lo = comm.ProcNull
		}
		if hi >= c.Size() {
			hi = comm.ProcNull
		}
		cells := []float64{float64(10 * r), float64(10*r + 1)}
		haloLo, haloHi := -1.0, -1.0
		// Upwards: my top cell to hi, my lower halo from lo.
		if _, err := c.Sendrecv(ctx, hi, 0, cells[1], lo, 0, &haloLo); err != nil {
			return err
		}
		// Downwards: my bottom cell to lo, my upper halo from hi.
		if _, err := c.Sendrecv(ctx, lo, 1, cells[0], hi, 1, &haloHi); err != nil {
			return err
		}
		results[r] = fmt.Sprintf("rank %d: %v %v %v", r, haloLo, cells, haloHi)
		return nil
	})
	for _, s := range results {
		fmt.Println(s)
	}
	// Output:
	// rank 0: -1 [0 1] 10
	// rank 1: 1 [10 11] 20
	// rank 2: 11 [20 21] 30
	// rank 3: 21 [30 31] -1
}

// A ring shift in place: every rank passes its block to the right and
// gets its left neighbour's.
func ExampleComm_SendrecvReplace() {
	comm.Run(context.Background(), 3, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		block := []int{r, r}
		if _, err := c.SendrecvReplace(ctx, (r+1)%n, 0, (r-1+n)%n, 0, &block); err != nil {
			return err
		}
		if r == 0 {
			fmt.Println("rank 0 now holds", block)
		}
		return nil
	})
	// Output: rank 0 now holds [2 2]
}

// Rank 0 posts a receive from every other rank and handles each message as
// it arrives, whatever the order.
func ExampleWaitany() {
	comm.Run(context.Background(), 4, func(ctx context.Context, c *comm.Comm) error {
		if c.Rank() != 0 {
			return c.Send(ctx, 0, 0, fmt.Sprintf("hello from %d", c.Rank()))
		}
		msgs := make([]string, c.Size())
		reqs := make([]*comm.Request, c.Size()) // reqs[0] stays nil: inactive
		for src := 1; src < c.Size(); src++ {
			reqs[src] = c.Irecv(src, 0, &msgs[src])
		}
		var got []string
		for {
			i, _, err := comm.Waitany(ctx, reqs)
			if err != nil {
				return err
			}
			if i < 0 { // every request has completed
				break
			}
			got = append(got, msgs[i])
		}
		sort.Strings(got)
		fmt.Println(got)
		return nil
	})
	// Output: [hello from 1 hello from 2 hello from 3]
}

// Every rank posts its receives, sends, and waits for all of them at once.
func ExampleWaitall() {
	comm.Run(context.Background(), 3, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		got := make([]int, n)
		reqs := make([]*comm.Request, n)
		for src := range n {
			reqs[src] = c.Irecv(src, 0, &got[src])
		}
		for dst := range n {
			if err := c.Send(ctx, dst, 0, 10*r); err != nil {
				return err
			}
		}
		if _, err := comm.Waitall(ctx, reqs); err != nil {
			return err
		}
		if r == 0 {
			fmt.Println(got)
		}
		return nil
	})
	// Output: [0 10 20]
}

// A halo exchange that overlaps communication with computation: each rank
// starts sending its boundary, computes its interior while the message
// travels (over a bus, a large one goes out in the background), and waits
// for both ends only when it needs them.
func ExampleComm_Isend() {
	comm.Run(context.Background(), 2, func(ctx context.Context, c *comm.Comm) error {
		peer := 1 - c.Rank()
		edge := make([]float64, 1<<14) // 128 KiB: sent in the background over a bus
		for i := range edge {
			edge[i] = float64(c.Rank())
		}
		halo := make([]float64, len(edge))
		recv := comm.IrecvInto(c, peer, 0, halo)
		send := c.Isend(ctx, peer, 0, edge)
		edge[0] = 99 // safe: Isend took its copy

		interior := 0.0 // the computation that overlaps the exchange
		for i := range 1000 {
			interior += float64(i)
		}

		if _, err := comm.Waitall(ctx, []*comm.Request{send, recv}); err != nil {
			return err
		}
		if c.Rank() == 0 {
			fmt.Println(interior, halo[0], halo[len(halo)-1])
		}
		return nil
	})
	// Output: 499500 1 1
}
