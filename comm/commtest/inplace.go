package commtest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// testInPlace: the MPI_IN_PLACE forms fill every block but the caller's
// own, which they leave where it is, at every root.
func testInPlace(t *testing.T, mk MakeWorld) {
	t.Run("Allgather", func(t *testing.T) { eachSize(t, mk, checkAllgatherInPlace) })
	t.Run("GatherScatter", func(t *testing.T) { eachSize(t, mk, checkGatherScatterInPlace) })
	t.Run("ReduceScan", func(t *testing.T) { eachSize(t, mk, checkReduceScanInPlace) })
}

// blocks is Size blocks of n elements with block r from seq(r, k, n) and
// the others filled with -1.
func blocks(p, r, k, n int) []float64 {
	buf := slices.Repeat([]float64{-1}, p*n)
	copy(buf[r*n:], seq(r, k, n))
	return buf
}

// allBlocks is blocks with every block filled.
func allBlocks(p, k, n int) []float64 {
	var buf []float64
	for i := range p {
		buf = append(buf, seq(i, k, n)...)
	}
	return buf
}

func checkAllgatherInPlace(ctx context.Context, c *comm.Comm) error {
	p, r := c.Size(), c.Rank()
	for _, n := range []int{3, 0, 5000} {
		buf := blocks(p, r, n, n)
		if err := comm.AllgatherInPlace(ctx, c, buf); err != nil {
			return err
		}
		if want := allBlocks(p, n, n); !slices.Equal(buf, want) {
			return fmt.Errorf("AllgatherInPlace of %d per rank: got %v...", n, buf[:min(len(buf), 12)])
		}
	}
	names := make([]string, p)
	names[r] = fmt.Sprint("rank ", r)
	if err := comm.AllgatherInPlace(ctx, c, names); err != nil {
		return err
	}
	for i, s := range names {
		if s != fmt.Sprint("rank ", i) {
			return fmt.Errorf("AllgatherInPlace of strings: %q", names)
		}
	}
	return nil
}

func checkGatherScatterInPlace(ctx context.Context, c *comm.Comm) error {
	p, r := c.Size(), c.Rank()
	const n = 4
	for root := range p {
		// Gather: root's block in place, the others send theirs.
		buf := seq(r, root, n)
		if r == root {
			buf = blocks(p, r, root, n)
		}
		if err := comm.GatherInPlace(ctx, c, root, buf); err != nil {
			return err
		}
		if r == root && !slices.Equal(buf, allBlocks(p, root, n)) {
			return fmt.Errorf("GatherInPlace at %d: got %v", root, buf)
		}
		if r != root && !slices.Equal(buf, seq(r, root, n)) {
			return fmt.Errorf("GatherInPlace changed rank %d's block: %v", r, buf)
		}
		// Scatter back: each rank gets its block, root keeps its own.
		mine := slices.Repeat([]float64{-1}, n)
		if r == root {
			mine = allBlocks(p, root+1, n)
		}
		if err := comm.ScatterInPlace(ctx, c, root, mine); err != nil {
			return err
		}
		if r == root && !slices.Equal(mine, allBlocks(p, root+1, n)) {
			return fmt.Errorf("ScatterInPlace changed root %d's buffer: %v", root, mine)
		}
		if r != root && !slices.Equal(mine, seq(r, root+1, n)) {
			return fmt.Errorf("ScatterInPlace from %d: rank %d got %v", root, r, mine)
		}
	}
	return nil
}

func checkReduceScanInPlace(ctx context.Context, c *comm.Comm) error {
	p, r := c.Size(), c.Rank()
	for root := range p {
		buf := []int64{int64(r), 1, int64(r * r)}
		if err := comm.ReduceInPlace(ctx, c, root, buf, comm.Sum); err != nil {
			return err
		}
		var want []int64
		if r == root {
			want = []int64{int64(p * (p - 1) / 2), int64(p), int64((p - 1) * p * (2*p - 1) / 6)}
		} else {
			want = []int64{int64(r), 1, int64(r * r)}
		}
		if !slices.Equal(buf, want) {
			return fmt.Errorf("ReduceInPlace at %d: rank %d has %v, want %v", root, r, buf, want)
		}
	}
	buf := []float64{float64(r + 1), -float64(r)}
	if err := comm.ScanInPlace(ctx, c, buf, comm.Max); err != nil {
		return err
	}
	if want := []float64{float64(r + 1), 0}; !slices.Equal(buf, want) {
		return fmt.Errorf("ScanInPlace(Max) on rank %d: %v, want %v", r, buf, want)
	}
	return reduceScanLarge(ctx, c)
}

// reduceScanLarge: ReduceInPlace and ScanInPlace of 301 int64s (a length
// no world size divides), the root in place while the others call Reduce
// on odd roots, and Scan on odd ranks beside ScanInPlace, as MPI_IN_PLACE
// lets ranks mix them.
func reduceScanLarge(ctx context.Context, c *comm.Comm) error {
	p, r := c.Size(), c.Rank()
	const n = 301
	mine := func() []int64 {
		b := make([]int64, n)
		for i := range b {
			b[i] = int64(r*n + i)
		}
		return b
	}
	for root := range p {
		buf := mine()
		var err error
		if r != root && root%2 == 1 {
			_, err = comm.Reduce(ctx, c, root, buf, comm.Sum)
		} else {
			err = comm.ReduceInPlace(ctx, c, root, buf, comm.Sum)
		}
		if err != nil {
			return err
		}
		for i, got := range buf {
			want := int64(r*n + i)
			if r == root {
				want = int64(n*p*(p-1)/2 + p*i)
			}
			if got != want {
				return fmt.Errorf("ReduceInPlace of %d at %d: rank %d has %d at %d, want %d", n, root, r, got, i, want)
			}
		}
	}
	buf := mine()
	var err error
	if r%2 == 1 {
		buf, err = comm.Scan(ctx, c, buf, comm.Sum)
	} else {
		err = comm.ScanInPlace(ctx, c, buf, comm.Sum)
	}
	if err != nil {
		return err
	}
	for i, got := range buf {
		if want := int64(n*r*(r+1)/2 + (r+1)*i); got != want {
			return fmt.Errorf("ScanInPlace of %d: rank %d has %d at %d, want %d", n, r, got, i, want)
		}
	}
	return nil
}
