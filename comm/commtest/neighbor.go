package commtest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// testNeighbor: NeighborAllgather and NeighborAlltoall on grids of 1, 2
// and 3 dimensions, periodic, not, and mixed: block i comes from
// neighbour i (negative then positive direction per dimension), and a
// ProcNull neighbour's block is left as it was.
func testNeighbor(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		for nd := 1; nd <= 3; nd++ {
			dims, err := comm.DimsCreate(c.Size(), make([]int, nd))
			if err != nil {
				return err
			}
			for _, periodic := range [][]bool{slices.Repeat([]bool{true}, nd), make([]bool, nd), mixed(nd)} {
				g, err := comm.NewCart(ctx, c, dims, periodic)
				if err != nil {
					return err
				}
				if err := checkNeighbor(ctx, g); err != nil {
					return fmt.Errorf("grid %v periodic %v: %w", dims, periodic, err)
				}
			}
		}
		return nil
	})
}

// mixed is periodic in the even dimensions only.
func mixed(nd int) []bool {
	p := make([]bool, nd)
	for i := range p {
		p[i] = i%2 == 0
	}
	return p
}

func checkNeighbor(ctx context.Context, g *comm.Cart) error {
	r, nd := g.Rank(), len(g.Dims())
	nb := make([]int, 2*nd)
	for d := range nd {
		nb[2*d], nb[2*d+1] = g.Shift(d, 1)
	}
	const n = 3
	recv := slices.Repeat([]float64{-1}, 2*nd*n)
	if err := comm.NeighborAllgather(ctx, g, seq(r, 0, n), recv); err != nil {
		return err
	}
	for i, q := range nb {
		want := seq(q, 0, n)
		if q == comm.ProcNull {
			want = slices.Repeat([]float64{-1}, n)
		}
		if got := recv[i*n : (i+1)*n]; !slices.Equal(got, want) {
			return fmt.Errorf("NeighborAllgather on rank %d: block %d (neighbour %d) is %v, want %v", r, i, q, got, want)
		}
	}
	// Block i of rank r's send is seq(r, i, n); the neighbour in the
	// negative direction sent its positive-direction block, and so on.
	var send []float64
	for i := range 2 * nd {
		send = append(send, seq(r, i, n)...)
	}
	recv = slices.Repeat([]float64{-1}, 2*nd*n)
	if err := comm.NeighborAlltoall(ctx, g, send, recv); err != nil {
		return err
	}
	for i, q := range nb {
		want := seq(q, i^1, n)
		if q == comm.ProcNull {
			want = slices.Repeat([]float64{-1}, n)
		}
		if got := recv[i*n : (i+1)*n]; !slices.Equal(got, want) {
			return fmt.Errorf("NeighborAlltoall on rank %d: block %d (neighbour %d) is %v, want %v", r, i, q, got, want)
		}
	}
	return nil
}
