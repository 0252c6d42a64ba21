package commtest

import (
	"context"
	"fmt"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// testInfo checks Status.Count for each kind of value, and that Mode,
// Wtime and ProcessorName answer sensibly and alike on every rank.
func testInfo(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		right, left := (r+1)%n, (r-1+n)%n
		values := []struct {
			v     any
			count int
		}{
			{[]float64{1, 2, 3}, 3}, {[]int32{1, 2, 3, 4, 5}, 5}, {"abcd", 4}, {[]byte{1, 2}, 2},
			{7, 1}, {2.5, 1}, {[]string{"a", "b"}, 2}, {map[string]int{"a": 1, "b": 2, "c": 3}, 3},
			{record{Name: "x"}, 3}, {[]float64(nil), 0}, {make([]int16, 300), 300}, {int8(3), 1},
		}
		for tag, tc := range values {
			if err := c.Send(ctx, right, tag, tc.v); err != nil {
				return err
			}
		}
		for tag, tc := range values {
			st, err := c.Probe(ctx, left, tag)
			if err != nil {
				return err
			}
			if st.Count() != tc.count {
				return fmt.Errorf("Probe of %T: Count %d, want %d", tc.v, st.Count(), tc.count)
			}
			var v any
			if st, err = c.Recv(ctx, left, tag, &v); err != nil || st.Count() != tc.count {
				return fmt.Errorf("Recv of %T: Count %d, want %d (%v)", tc.v, st.Count(), tc.count, err)
			}
		}
		if st, _, _ := c.Iprobe(left, 999); st.Count() != 0 {
			return fmt.Errorf("Count of an empty probe: %d", st.Count())
		}
		mode := c.Mode()
		if mode != "goroutines" && mode != "processes" && mode != "hybrid" || mode == "goroutines" && !c.SharesMemory() {
			return fmt.Errorf("Mode %q, SharesMemory %v", mode, c.SharesMemory())
		}
		modes, err := comm.Allgather(ctx, c, mode)
		if err != nil {
			return err
		}
		for _, m := range modes {
			if m != mode {
				return fmt.Errorf("Mode differs between ranks: %v", modes)
			}
		}
		t0 := comm.Wtime()
		if err := c.Barrier(ctx); err != nil {
			return err
		}
		if t1 := comm.Wtime(); t1 < t0 || comm.Wtick() <= 0 || comm.ProcessorName() == "" {
			return fmt.Errorf("Wtime %v then %v, Wtick %v, ProcessorName %q", t0, t1, comm.Wtick(), comm.ProcessorName())
		}
		return nil
	})
}
