package commtest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// testValueSemantics: what a rank sent or received is its own. The race
// detector turns any sharing into a failure.
func testValueSemantics(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		right, left := (r+1)%n, (r-1+n)%n
		buf := []float64{1, 2, 3}
		if err := c.Send(ctx, right, 0, buf); err != nil {
			return err
		}
		buf[0] = -99 // must not reach the receiver
		var got []float64
		if _, err := c.Recv(ctx, left, 0, &got); err != nil {
			return err
		}
		if got[0] != 1 {
			return fmt.Errorf("receiver saw the sender's later write: %v", got)
		}
		// Every rank writes to its copy of a broadcast value at once.
		v := []float64{0, 0}
		if r == 0 {
			v = []float64{5, 6}
		}
		if err := comm.Bcast(ctx, c, 0, &v); err != nil {
			return err
		}
		v[0] += float64(r)
		if err := c.Barrier(ctx); err != nil {
			return err
		}
		if v[0] != 5+float64(r) || v[1] != 6 {
			return fmt.Errorf("broadcast copies are shared: %v", v)
		}
		return nil
	})
}

// testMap runs the task farm with uneven chunks and checks every index is
// computed once, in order.
func testMap(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		for _, tc := range []struct{ n, chunk int }{{0, 3}, {1, 5}, {100, 7}, {64, 0}} {
			res, err := comm.Map(ctx, c, tc.n, tc.chunk, func(lo, hi int) ([]int, error) {
				out := make([]int, 0, hi-lo)
				for i := lo; i < hi; i++ {
					out = append(out, i*i)
				}
				return out, nil
			})
			if err != nil {
				return err
			}
			if c.Rank() != 0 {
				if res != nil {
					return fmt.Errorf("Map returned results on rank %d", c.Rank())
				}
				continue
			}
			if len(res) != tc.n {
				return fmt.Errorf("Map(%d, %d): %d results", tc.n, tc.chunk, len(res))
			}
			for i, v := range res {
				if v != i*i {
					return fmt.Errorf("Map(%d, %d): result %d = %d", tc.n, tc.chunk, i, v)
				}
			}
		}
		return nil
	})
}

// testMapError: a worker's error ends Map on every rank instead of hanging
// it, whichever rank fails.
func testMapError(t *testing.T, mk MakeWorld) {
	for _, failing := range []int{0, 1} {
		t.Run(fmt.Sprintf("rank%d", failing), func(t *testing.T) {
			started := make(chan struct{}) // the failing rank has a chunk
			var once sync.Once
			err := world(t, mk, 2, func(ctx context.Context, c *comm.Comm) error {
				_, err := comm.Map(ctx, c, 40, 4, func(lo, hi int) ([]int, error) {
					if c.Rank() == failing {
						once.Do(func() { close(started) })
						return nil, fmt.Errorf("chunk %d failed", lo)
					}
					select { // so that the other rank cannot take every chunk
					case <-started:
					case <-ctx.Done():
						return nil, ctx.Err()
					}
					return make([]int, hi-lo), nil
				})
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "failed") {
				t.Fatalf("Map with a failing worker returned %v", err)
			}
		})
	}
}

// testReplaceOnReceive: a received map replaces the receiver's old value.
func testReplaceOnReceive(t *testing.T, mk MakeWorld) {
	err := world(t, mk, 2, func(ctx context.Context, c *comm.Comm) error {
		m := map[string]int{"mine": c.Rank()}
		if c.Rank() == 0 {
			m = map[string]int{"root": 1}
		}
		if err := comm.Bcast(ctx, c, 0, &m); err != nil {
			return err
		}
		return expect("Bcast of a map", m, map[string]int{"root": 1})
	})
	if err != nil {
		t.Fatal(err)
	}
}
