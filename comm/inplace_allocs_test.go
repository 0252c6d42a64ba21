package comm_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// lockstep runs call on every rank of a goroutine world of n, once per
// step() and in step with the caller, so that testing.AllocsPerRun counts
// the allocations of one call on all ranks.
func lockstep(t *testing.T, n int, call func(ctx context.Context, c *comm.Comm) error) (step func(), stop func()) {
	t.Helper()
	ctx := context.Background()
	comms, err := comm.NewWorld(n)
	if err != nil {
		t.Fatal(err)
	}
	gos, dones := make([]chan bool, n), make(chan error, n)
	for r := range n {
		gos[r] = make(chan bool)
		go func() {
			for <-gos[r] {
				dones <- call(ctx, comms[r])
			}
		}()
	}
	step = func() {
		for r := range n {
			gos[r] <- true
		}
		for range n {
			if err := <-dones; err != nil {
				t.Fatal(err)
			}
		}
	}
	stop = func() {
		for r := range n {
			gos[r] <- false
		}
		for _, c := range comms {
			c.Close()
		}
	}
	return step, stop
}

// In a goroutine world ReduceInPlace and ScanInPlace of a numeric slice
// of 1 KiB or more allocate nothing once warm, on any rank.
func TestInPlaceAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts under the race detector mean nothing")
	}
	for _, n := range []int{2, 3, 7} {
		for _, elems := range []int{128, 1 << 14} {
			for _, call := range []string{"ReduceInPlace", "ScanInPlace"} {
				bufs := make([][]float64, n)
				for r := range bufs {
					bufs[r] = make([]float64, elems)
					for i := range bufs[r] {
						bufs[r][i] = 1
					}
				}
				step, stop := lockstep(t, n, func(ctx context.Context, c *comm.Comm) error {
					if call == "ReduceInPlace" {
						return comm.ReduceInPlace(ctx, c, n-1, bufs[c.Rank()], comm.Max)
					}
					return comm.ScanInPlace(ctx, c, bufs[c.Rank()], comm.Max)
				})
				step() // warm: the process's window is made
				a := testing.AllocsPerRun(20, step)
				stop()
				if a != 0 {
					t.Errorf("%s of %d float64s at %d ranks: %.1f allocations per call", call, elems, n, a)
				}
				if bufs[n-1][elems-1] != 1 {
					t.Errorf("%s: Max of ones gave %v", call, bufs[n-1][elems-1])
				}
			}
		}
	}
}

// BenchmarkInPlaceShared compares ReduceInPlace and ScanInPlace in a
// goroutine world by shared memory and by messages (MessagesOnly, the
// path they took before), alternately in one run.
func BenchmarkInPlaceShared(b *testing.B) {
	for _, elems := range []int{8, 1024, 1 << 17} {
		for _, call := range []string{"ReduceInPlace", "ScanInPlace"} {
			for _, path := range []string{"shared", "messages"} {
				b.Run(fmt.Sprintf("%s/n=4/elems=%d/%s", call, elems, path), func(b *testing.B) {
					benchInPlace(b, 4, elems, call, path == "shared")
				})
			}
		}
	}
}

func benchInPlace(b *testing.B, n, elems int, call string, shared bool) {
	var opts []comm.WorldOption
	if !shared {
		opts = append(opts, comm.MessagesOnly())
	}
	err := comm.Run(context.Background(), n, func(ctx context.Context, c *comm.Comm) error {
		buf := make([]float64, elems)
		for i := 0; i < b.N; i++ {
			var err error
			if call == "ReduceInPlace" {
				err = comm.ReduceInPlace(ctx, c, 1, buf, comm.Sum)
			} else {
				err = comm.ScanInPlace(ctx, c, buf, comm.Sum)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}, opts...)
	if err != nil {
		b.Fatal(err)
	}
}
