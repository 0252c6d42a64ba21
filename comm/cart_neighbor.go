package comm

import (
	"context"
	"fmt"
)

// Neighbour collectives on a Cartesian grid (MPI-3): each rank exchanges
// with the 2*len(Dims()) ranks beside it, in the order of MPI: for each
// dimension, the neighbour in the negative direction, then the positive.
// Block i of a buffer of 2*len(Dims()) blocks belongs to neighbour i; a
// neighbour that is ProcNull (past a non-periodic edge) sends nothing and
// its block of recv is left as it was.

// neighbors is this rank's 2*len(dims) neighbours in MPI's order.
func (g *Cart) neighbors() []int {
	nb := make([]int, 2*len(g.dims))
	for d := range g.dims {
		nb[2*d], nb[2*d+1] = g.Shift(d, 1)
	}
	return nb
}

// NeighborAllgather sends send to every neighbour and receives each
// neighbour's send into its block of recv, which holds 2*len(Dims())
// blocks of len(send) elements (MPI_Neighbor_allgather). Every rank passes
// the same len(send).
func NeighborAllgather[E any](ctx context.Context, g *Cart, send, recv []E) error {
	nb := g.neighbors()
	if len(recv) != len(nb)*len(send) {
		return fmt.Errorf("comm: NeighborAllgather: recv has %d elements, not %d blocks of %d", len(recv), len(nb), len(send))
	}
	return neighborExchange(ctx, g, callNeighborAllgather, nb, func(int) []E { return send }, recv, len(send))
}

// NeighborAlltoall sends block i of send to neighbour i and receives
// neighbour i's block for this rank into block i of recv
// (MPI_Neighbor_alltoall): send and recv hold 2*len(Dims()) blocks of the
// same length on every rank.
func NeighborAlltoall[E any](ctx context.Context, g *Cart, send, recv []E) error {
	nb := g.neighbors()
	if len(send)%len(nb) != 0 || len(recv) != len(send) {
		return fmt.Errorf("comm: NeighborAlltoall: send has %d elements and recv %d, not both %d equal blocks", len(send), len(recv), len(nb))
	}
	n := len(send) / len(nb)
	return neighborExchange(ctx, g, callNeighborAlltoall, nb, func(i int) []E { return send[i*n : (i+1)*n] }, recv, n)
}

// neighborExchange sends block(i) to neighbour i and receives neighbour
// i's into block i of recv (blocks of n elements). Frames from one peer
// match in the order they were sent, and a peer can be this rank's
// neighbour both ways (a periodic dimension of 1 or 2 ranks): a rank
// sends in MPI's order, negative then positive, and receives positive then
// negative, so the block a peer sent in the negative direction lands in
// the block of the positive neighbour, as it must.
func neighborExchange[E any](ctx context.Context, g *Cart, op collCall, nb []int, block func(i int) []E, recv []E, n int) error {
	c := g.Comm
	k, err := c.begin(op, 0)
	if err != nil {
		return err
	}
	for i, dst := range nb {
		if dst == ProcNull {
			continue
		}
		codec, payload, err := encodeSlice(block(i), c.viewsFor(dst))
		if err == nil {
			err = k.sendRaw(ctx, dst, codec, payload)
		}
		if err != nil {
			return k.fail(err)
		}
	}
	for d := 0; d < len(nb); d += 2 {
		for _, i := range [2]int{d + 1, d} {
			if src := nb[i]; src != ProcNull {
				if err := recvInto(ctx, &k, src, recv[i*n:(i+1)*n]); err != nil {
					return k.fail(err)
				}
			}
		}
	}
	// Data reached this rank from its neighbours only: a fence makes sure
	// every rank made this call.
	return k.certify(ctx, nil)
}
