package commtest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// testDispls: the v-collectives with displacements put every block where
// its displacement says, leave the gaps alone, work in place, and refuse
// overlapping or out-of-range blocks on every rank.
func testDispls(t *testing.T, mk MakeWorld) {
	t.Run("GathervScatterv", func(t *testing.T) { eachSize(t, mk, checkGathervScattervInto) })
	t.Run("Allgatherv", func(t *testing.T) { eachSize(t, mk, checkAllgathervInto) })
	t.Run("Alltoallv", func(t *testing.T) { eachSize(t, mk, checkAlltoallvInto) })
	t.Run("BadLayouts", func(t *testing.T) { checkBadLayouts(t, mk) })
}

// reversedLayout places blocks of counts in reverse rank order with a gap
// of one element before each, and returns displs and the buffer length.
func reversedLayout(counts []int) ([]int, int) {
	displs := make([]int, len(counts))
	off := 0
	for i := len(counts) - 1; i >= 0; i-- {
		off++ // the gap
		displs[i] = off
		off += counts[i]
	}
	return displs, off
}

// checkLayoutFilled checks that buf holds want(i) at each block and -1 in
// every gap.
func checkLayoutFilled(what string, buf []float64, counts, displs []int, want func(i int) []float64) error {
	inBlock := make([]bool, len(buf))
	for i := range counts {
		got := buf[displs[i] : displs[i]+counts[i]]
		if !slices.Equal(got, want(i)) {
			return fmt.Errorf("%s: block %d is %v, want %v", what, i, got, want(i))
		}
		for j := displs[i]; j < displs[i]+counts[i]; j++ {
			inBlock[j] = true
		}
	}
	for j, in := range inBlock {
		if !in && buf[j] != -1 {
			return fmt.Errorf("%s: gap element %d was written: %v", what, j, buf)
		}
	}
	return nil
}

func gapped(n int) []float64 { return slices.Repeat([]float64{-1}, n) }

func checkGathervScattervInto(ctx context.Context, c *comm.Comm) error {
	p, r := c.Size(), c.Rank()
	counts := make([]int, p)
	for i := range counts {
		counts[i] = i%3 + 1
	}
	displs, total := reversedLayout(counts)
	for root := range p {
		recv := gapped(total)
		if err := comm.GathervInto(ctx, c, root, seq(r, root, counts[r]), recv, counts, displs); err != nil {
			return err
		}
		if r == root {
			if err := checkLayoutFilled("GathervInto", recv, counts, displs, func(i int) []float64 { return seq(i, root, counts[i]) }); err != nil {
				return err
			}
		}
		// In place at root: its block is already in recv.
		recv = gapped(total)
		send := seq(r, root, counts[r])
		if r == root {
			send = recv[displs[r] : displs[r]+counts[r]]
			copy(send, seq(r, root, counts[r]))
		}
		if err := comm.GathervInto(ctx, c, root, send, recv, counts, displs); err != nil {
			return err
		}
		if r == root {
			if err := checkLayoutFilled("GathervInto in place", recv, counts, displs, func(i int) []float64 { return seq(i, root, counts[i]) }); err != nil {
				return err
			}
		}
		// Scatterv back from the same layout.
		var all []float64
		if r == root {
			all = gapped(total)
			for i := range p {
				copy(all[displs[i]:], seq(i, root+1, counts[i]))
			}
		}
		mine := make([]float64, counts[r])
		if err := comm.ScattervInto(ctx, c, root, all, counts, displs, mine); err != nil {
			return err
		}
		if !slices.Equal(mine, seq(r, root+1, counts[r])) {
			return fmt.Errorf("ScattervInto from %d: rank %d got %v", root, r, mine)
		}
	}
	return nil
}

func checkAllgathervInto(ctx context.Context, c *comm.Comm) error {
	p, r := c.Size(), c.Rank()
	counts := make([]int, p)
	for i := range counts {
		counts[i] = (i * 5) % 4 // some ranks give nothing
	}
	displs, total := reversedLayout(counts)
	recv := gapped(total)
	if err := comm.AllgathervInto(ctx, c, seq(r, 1, counts[r]), recv, counts, displs); err != nil {
		return err
	}
	want := func(i int) []float64 { return seq(i, 1, counts[i]) }
	if err := checkLayoutFilled("AllgathervInto", recv, counts, displs, want); err != nil {
		return err
	}
	recv = gapped(total)
	own := recv[displs[r] : displs[r]+counts[r]]
	copy(own, seq(r, 1, counts[r]))
	if err := comm.AllgathervInto(ctx, c, own, recv, counts, displs); err != nil {
		return err
	}
	return checkLayoutFilled("AllgathervInto in place", recv, counts, displs, want)
}

func checkAlltoallvInto(ctx context.Context, c *comm.Comm) error {
	p, r := c.Size(), c.Rank()
	// Rank i sends (i+j)%3 elements to rank j, i*1000+j*10+k.
	sendCounts, recvCounts := make([]int, p), make([]int, p)
	sendDispls := make([]int, p)
	var send []float64
	for j := range p {
		sendCounts[j] = (r + j) % 3
		recvCounts[j] = (j + r) % 3
		sendDispls[j] = len(send)
		send = append(send, seq(r, j, sendCounts[j])...)
	}
	recvDispls, total := reversedLayout(recvCounts)
	recv := gapped(total)
	if err := comm.AlltoallvInto(ctx, c, send, sendCounts, sendDispls, recv, recvCounts, recvDispls); err != nil {
		return err
	}
	return checkLayoutFilled("AlltoallvInto", recv, recvCounts, recvDispls, func(j int) []float64 { return seq(j, r, recvCounts[j]) })
}

// checkBadLayouts: layouts every rank passes alike fail on every rank
// with an error naming the blocks.
func checkBadLayouts(t *testing.T, mk MakeWorld) {
	cases := []struct {
		name, want string
		call       func(ctx context.Context, c *comm.Comm) error
	}{
		{"overlap", "overlap", func(ctx context.Context, c *comm.Comm) error {
			p := c.Size()
			counts, displs := slices.Repeat([]int{2}, p), make([]int, p)
			for i := range displs {
				displs[i] = i * 2
			}
			displs[p-1]-- // the last block overlaps the one before
			return comm.AllgathervInto(ctx, c, make([]int64, 2), make([]int64, 2*p), counts, displs)
		}},
		{"outside", "outside the", func(ctx context.Context, c *comm.Comm) error {
			p := c.Size()
			counts, displs := slices.Repeat([]int{1}, p), make([]int, p)
			for i := range displs {
				displs[i] = i
			}
			displs[0] = p // past the end
			return comm.AllgathervInto(ctx, c, []int64{1}, make([]int64, p), counts, displs)
		}},
		{"negative", "negative", func(ctx context.Context, c *comm.Comm) error {
			p := c.Size()
			counts := make([]int, p)
			counts[p-1] = -1
			return comm.AlltoallvInto(ctx, c, []byte{}, counts, make([]int, p), []byte{}, make([]int, p), make([]int, p))
		}},
		{"short counts", "counts and", func(ctx context.Context, c *comm.Comm) error {
			return comm.AllgathervInto(ctx, c, []int64{}, nil, []int{0}, nil)
		}},
	}
	for _, tc := range cases {
		for _, n := range []int{2, 3, 5} {
			t.Run(tc.name+"/"+sizeName(n), func(t *testing.T) {
				var mu sync.Mutex
				errs := make([]error, n)
				world(t, mk, n, func(ctx context.Context, c *comm.Comm) error {
					err := tc.call(ctx, c)
					mu.Lock()
					errs[c.Rank()] = err
					mu.Unlock()
					return err
				})
				for r, err := range errs {
					if err == nil || !strings.Contains(err.Error(), tc.want) {
						t.Errorf("rank %d: %v, want an error saying %q", r, err, tc.want)
					}
				}
			})
		}
	}
}
