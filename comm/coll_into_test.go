package comm

import (
	"context"
	"runtime"
	"testing"
)

// TestIntoCopiesStraight: in a goroutine world the Into and InPlace
// collectives copy between the ranks' own buffers, so what a call
// allocates does not grow with the data (Bcast of the same 1 MiB
// allocates a copy per rank).
func TestIntoCopiesStraight(t *testing.T) {
	const ranks, calls, n = 4, 20, 1 << 17 // 1 MiB of float64
	for _, tc := range []struct {
		name string
		call func(ctx context.Context, c *Comm, buf []float64) error
	}{
		{"BcastInto", func(ctx context.Context, c *Comm, buf []float64) error { return BcastInto(ctx, c, 0, buf) }},
		{"AllgatherInPlace", AllgatherInPlace[float64]},
		{"GatherInPlace", func(ctx context.Context, c *Comm, buf []float64) error {
			if c.Rank() != 1 {
				buf = buf[:n/ranks]
			}
			return GatherInPlace(ctx, c, 1, buf)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := Run(context.Background(), ranks, func(ctx context.Context, c *Comm) error {
				buf := make([]float64, n)
				for range calls {
					if err := tc.call(ctx, c, buf); err != nil {
						return err
					}
				}
				return nil
			})
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			// The buffers themselves: ranks x 1 MiB; a copy per call would
			// add calls x ranks x 1 MiB.
			perCall := (int64(after.TotalAlloc-before.TotalAlloc) - ranks*n*8) / calls
			if perCall > 256<<10 {
				t.Errorf("%d bytes allocated per call of 1 MiB per rank", perCall)
			}
		})
	}
}
