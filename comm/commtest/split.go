package commtest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// testSplit checks Split, Dup and Self: ranks and sizes, collectives and
// point-to-point within each new communicator, row and column
// communicators of a grid, nested splits, and that no message of one
// communicator matches a receive of another.
func testSplit(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		// By parity, ranked in reverse.
		half, err := c.Split(ctx, r%2, -r)
		if err != nil {
			return err
		}
		var mine []int
		for i := n - 1; i >= 0; i-- {
			if i%2 == r%2 {
				mine = append(mine, i)
			}
		}
		if half.Size() != len(mine) || mine[half.Rank()] != r || half.WorldRank(half.Rank()) != r {
			return fmt.Errorf("Split by parity: rank %d of %d, want rank of %d in %v", half.Rank(), half.Size(), r, mine)
		}
		sum, err := comm.Allreduce(ctx, half, r, comm.Sum)
		if err != nil {
			return err
		}
		want := 0
		for _, i := range mine {
			want += i
		}
		if sum != want {
			return fmt.Errorf("Allreduce on the parity communicator: %d, want %d", sum, want)
		}
		root := mine[0] // rank 0 of half
		got := -1
		if half.Rank() == 0 {
			got = r
		}
		if err := comm.Bcast(ctx, half, 0, &got); err != nil || got != root {
			return fmt.Errorf("Bcast on the parity communicator: %d, %v", got, err)
		}
		gathered, err := comm.Gather(ctx, half, half.Size()-1, r)
		if err != nil {
			return err
		}
		if half.Rank() == half.Size()-1 {
			if err := expect("Gather on the parity communicator", gathered, mine); err != nil {
				return err
			}
		}
		// Isolation: the same tag on the world and on a Dup, received with
		// wildcards on the Dup, gets only the Dup's message.
		dup, err := c.Dup(ctx)
		if err != nil {
			return err
		}
		if dup.Size() != n || dup.Rank() != r {
			return fmt.Errorf("Dup: rank %d of %d", dup.Rank(), dup.Size())
		}
		right, left := (r+1)%n, (r-1+n)%n
		if err := c.Send(ctx, right, 5, "world"); err != nil {
			return err
		}
		if err := dup.Send(ctx, right, 5, "dup"); err != nil {
			return err
		}
		var s string
		st, err := dup.Recv(ctx, comm.AnySource, comm.AnyTag, &s)
		if err != nil || s != "dup" || st.Source != left {
			return fmt.Errorf("Recv on the Dup: %q from %d, %v", s, st.Source, err)
		}
		if _, ok, _ := dup.Iprobe(comm.AnySource, comm.AnyTag); ok {
			return fmt.Errorf("Iprobe on the Dup found the world's message")
		}
		if _, err := c.Recv(ctx, left, 5, &s); err != nil || s != "world" {
			return fmt.Errorf("Recv on the world: %q, %v", s, err)
		}
		// Collectives interleaved on the two communicators.
		a, err := comm.Allreduce(ctx, c, 1, comm.Sum)
		if err != nil {
			return err
		}
		b, err := comm.Allreduce(ctx, dup, 2, comm.Sum)
		if err != nil || a != n || b != 2*n {
			return fmt.Errorf("Allreduce on world then Dup: %d, %d, %v", a, b, err)
		}
		// Rows and columns of a grid of width 2 (the last row may be short).
		const width = 2
		row, err := c.Split(ctx, r/width, r%width)
		if err != nil {
			return err
		}
		col, err := c.Split(ctx, r%width, r/width)
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
		wantRow, wantCol := 0, 0
		for i := range n {
			if i/width == r/width {
				wantRow += i
			}
			if i%width == r%width {
				wantCol += i
			}
		}
		if rowSum != wantRow || colSum != wantCol || row.Rank() != r%width || col.Rank() != r/width {
			return fmt.Errorf("grid: row sum %d (want %d), column sum %d (want %d), ranks %d %d",
				rowSum, wantRow, colSum, wantCol, row.Rank(), col.Rank())
		}
		// A split of a split, with a rank left out.
		color := 0
		if half.Rank() == 0 && half.Size() > 1 {
			color = comm.Undefined
		}
		sub, err := half.Split(ctx, color, 0)
		if err != nil {
			return err
		}
		if color == comm.Undefined {
			if sub != nil {
				return fmt.Errorf("Split with Undefined returned a communicator")
			}
		} else {
			x, err := comm.Allreduce(ctx, sub, 1, comm.Sum)
			if err != nil || x != sub.Size() || sub.Size() != max(1, half.Size()-1) {
				return fmt.Errorf("nested Split: Allreduce %d over %d ranks, %v", x, sub.Size(), err)
			}
			if err := sub.Send(ctx, (sub.Rank()+1)%sub.Size(), 0, sub.Rank()); err != nil {
				return err
			}
			var v int
			if _, err := sub.Recv(ctx, (sub.Rank()-1+sub.Size())%sub.Size(), 0, &v); err != nil {
				return err
			}
		}
		// Self: this rank alone.
		self := c.Self()
		if self.Size() != 1 || self.Rank() != 0 {
			return fmt.Errorf("Self: rank %d of %d", self.Rank(), self.Size())
		}
		if err := self.Send(ctx, 0, 1, r); err != nil {
			return err
		}
		var v int
		if _, err := self.Recv(ctx, 0, 1, &v); err != nil || v != r {
			return fmt.Errorf("Self Recv: %d, %v", v, err)
		}
		if x, err := comm.Allreduce(ctx, self, r, comm.Sum); err != nil || x != r {
			return fmt.Errorf("Allreduce on Self: %d, %v", x, err)
		}
		if err := c.Barrier(ctx); err != nil {
			return err
		}
		// Once the other ranks have returned, a wildcard receive on a
		// sub-communicator fails as on the world instead of waiting.
		if r != 0 || n == 1 {
			return nil
		}
		_, err = dup.Recv(ctx, comm.AnySource, comm.AnyTag, nil)
		if !errors.Is(err, comm.ErrNoPeers) {
			return fmt.Errorf("Recv(AnySource) on a Dup after every peer exited: %v, want ErrNoPeers", err)
		}
		return nil
	})
}
