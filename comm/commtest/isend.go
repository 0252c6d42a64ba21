package commtest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// testIsendOrder: each rank sends its right neighbour, on one tag, large
// and small messages by Isend, Send and Issend in turn, changing each
// Isend's value once the call returns; the neighbour receives them in the
// order they were sent, each with the value it had at its send. The same
// again on a sub-communicator of every rank in reverse order.
func testIsendOrder(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		if err := isendOrder(ctx, c); err != nil {
			return err
		}
		rev, err := c.Split(ctx, 0, -c.Rank())
		if err != nil {
			return err
		}
		if err := isendOrder(ctx, rev); err != nil {
			return fmt.Errorf("reversed sub-communicator: %w", err)
		}
		return nil
	})
}

func isendOrder(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	right, left := (r+1)%n, (r-1+n)%n
	sizes := []int{1 << 16, 3, 1 << 17, 10, 1 << 16, 5, 1 << 18}
	// The receives are posted first; receives posted in turn match in
	// turn.
	got := make([][]int32, len(sizes))
	var reqs []*comm.Request
	for i := range sizes {
		reqs = append(reqs, c.Irecv(left, 1, &got[i]))
	}
	for i, size := range sizes {
		v := slices.Repeat([]int32{int32(100*r + i)}, size)
		switch i % 3 {
		case 0:
			req := c.Isend(ctx, right, 1, v)
			clear(v) // the message keeps the value it had at the Isend
			reqs = append(reqs, req)
		case 1:
			if err := c.Send(ctx, right, 1, v); err != nil {
				return err
			}
		case 2:
			reqs = append(reqs, c.Issend(ctx, right, 1, v))
		}
	}
	if _, err := comm.Waitall(ctx, reqs); err != nil {
		return err
	}
	for i, size := range sizes {
		if g := got[i]; len(g) != size || g[0] != int32(100*left+i) || g[size-1] != g[0] {
			return fmt.Errorf("message %d from rank %d: %d values, want %d of %d", i, left, len(g), size, 100*left+i)
		}
	}
	return nil
}

// testIsendOverlap: each rank Isends its right neighbour a large message
// (16 MiB at two ranks, 4 MiB at eight), then
// does work of its own and only then lets its left neighbour know, by a
// channel, that it may post its receive. The message arrives whole, and
// the Isend's request completes, whether or not it did before the work.
func testIsendOverlap(t *testing.T, mk MakeWorld) {
	for _, n := range Sizes {
		t.Run(sizeName(n), func(t *testing.T) {
			worked := make([]chan struct{}, n)
			for i := range worked {
				worked[i] = make(chan struct{})
			}
			err := world(t, mk, n, func(ctx context.Context, c *comm.Comm) error {
				r := c.Rank()
				right, left := (r+1)%n, (r-1+n)%n
				size := (32 << 20) / 8 / max(n, 2) // float64s: 16 MiB at n=2, 4 MiB at n=8
				big := make([]float64, size)
				for i := range big {
					big[i] = float64(r*size + i)
				}
				req := c.Isend(ctx, right, 7, big)
				big[0] = -1 // the message keeps the value it had at the Isend
				work := 0.0 // the rank's own work while the bus moves the message
				for i := range big {
					work += big[i] * 0.5
				}
				if work == 0 {
					return fmt.Errorf("no work done")
				}
				close(worked[r])
				<-worked[left] // the sender has done its work: only now receive
				var in []float64
				st, err := c.Recv(ctx, left, 7, &in)
				if err != nil {
					return err
				}
				if len(in) != size || in[0] != float64(left*size) || in[size-1] != float64(left*size+size-1) || st.Source != left {
					return fmt.Errorf("from rank %d: %d values from %v, want %d from %d", left, len(in), in[0], size, left*size)
				}
				sst, err := req.Wait(ctx)
				if err != nil {
					return fmt.Errorf("Isend's Wait: %w", err)
				}
				if sst.Source != r || sst.Tag != 7 {
					return fmt.Errorf("Isend's status: source %d tag %d", sst.Source, sst.Tag)
				}
				if _, done, err := req.Test(); !done || err != nil {
					return fmt.Errorf("Test after Wait: %v, %v", done, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
