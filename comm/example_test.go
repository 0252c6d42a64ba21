package comm_test

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/gorun-dev/gorun/comm"
)

// Every rank contributes its rank number; every rank gets the sum.
func ExampleAllreduce() {
	comm.Run(context.Background(), 4, func(ctx context.Context, c *comm.Comm) error {
		sum, err := comm.Allreduce(ctx, c, float64(c.Rank()), comm.Sum)
		if err != nil {
			return err
		}
		if c.Rank() == 0 {
			fmt.Println("sum of ranks:", sum)
		}
		return nil
	})
	// Output: sum of ranks: 6
}

// An iterative solver sums a residual vector every step into one buffer,
// allocated once, as MPI's Allreduce with a receive buffer does.
func ExampleAllreduceInto() {
	comm.Run(context.Background(), 3, func(ctx context.Context, c *comm.Comm) error {
		residual := make([]float64, 4)
		total := make([]float64, len(residual))
		for step := 1; step <= 2; step++ {
			for i := range residual {
				residual[i] = float64(step * (c.Rank() + 1))
			}
			if err := comm.AllreduceInto(ctx, c, residual, total, comm.Sum); err != nil {
				return err
			}
			if c.Rank() == 0 {
				fmt.Println("step", step, total)
			}
		}
		return nil
	})
	// Output:
	// step 1 [6 6 6 6]
	// step 2 [12 12 12 12]
}

// The shuffle of a MapReduce: each rank sends every word to the rank that
// owns it (by first letter here), then reduces what it received.
func ExampleAlltoall() {
	words := [][]string{{"apple", "bee", "cat"}, {"ant", "bat", "cow"}, {"axe", "bug", "cup"}}
	comm.Run(context.Background(), 3, func(ctx context.Context, c *comm.Comm) error {
		out := make([][]string, c.Size())
		for _, w := range words[c.Rank()] {
			owner := int(w[0]-'a') % c.Size()
			out[owner] = append(out[owner], w)
		}
		in, err := comm.Alltoall(ctx, c, out)
		if err != nil {
			return err
		}
		var mine []string
		for _, ws := range in {
			mine = append(mine, ws...)
		}
		sort.Strings(mine)
		all, err := comm.Gather(ctx, c, 0, strings.Join(mine, " "))
		if c.Rank() == 0 {
			for r, s := range all {
				fmt.Printf("rank %d owns: %s\n", r, s)
			}
		}
		return err
	})
	// Output:
	// rank 0 owns: ant apple axe
	// rank 1 owns: bat bee bug
	// rank 2 owns: cat cow cup
}

// A dynamic task farm: chunks of 10 indices go to whichever rank is free;
// rank 0 gets every result in index order.
func ExampleMap() {
	comm.Run(context.Background(), 3, func(ctx context.Context, c *comm.Comm) error {
		squares, err := comm.Map(ctx, c, 100, 10, func(lo, hi int) ([]int, error) {
			out := make([]int, 0, hi-lo)
			for i := lo; i < hi; i++ {
				out = append(out, i*i)
			}
			return out, nil
		})
		if c.Rank() == 0 {
			fmt.Println(len(squares), squares[:5], squares[99])
		}
		return err
	})
	// Output: 100 [0 1 4 9 16] 9801
}

// Shared loads a value once per process: in a goroutine world every rank
// gets the same instance.
func ExampleShared() {
	loads := 0
	comm.Run(context.Background(), 4, func(ctx context.Context, c *comm.Comm) error {
		table, err := comm.Shared(ctx, c, "table", func() ([]float64, error) {
			loads++
			return []float64{1, 2, 3}, nil
		})
		if err != nil {
			return err
		}
		_, err = comm.Allreduce(ctx, c, table[c.Rank()%3], comm.Sum)
		return err
	})
	fmt.Println("loads:", loads)
	// Output: loads: 1
}
