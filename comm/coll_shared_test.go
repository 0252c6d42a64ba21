package comm_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
)

// TestSharedAllreduceLengthMismatch: in a goroutine world a large Allreduce
// reads the other ranks' inputs in place; a rank with a different length
// must make every rank fail with a *comm.MismatchError, promptly, instead of
// reading out of bounds.
func TestSharedAllreduceLengthMismatch(t *testing.T) {
	// A world that hangs instead ends at this deadline with errors that
	// name no length. (A bound on the time taken would fail on a loaded
	// machine under -race; the failure itself is what matters.)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	errs := make([]error, 3)
	_ = comm.Run(ctx, 3, func(ctx context.Context, c *comm.Comm) error {
		n := 100_000
		if c.Rank() == 1 {
			n++
		}
		_, errs[c.Rank()] = comm.Allreduce(ctx, c, make([]float64, n), comm.Sum)
		return nil
	})
	for r, err := range errs {
		var me *comm.MismatchError
		if !errors.As(err, &me) || !strings.Contains(err.Error(), "100001 elements") {
			t.Errorf("rank %d: err = %v, want a *comm.MismatchError naming 100001 elements", r, err)
		}
	}
}

// TestSharedAllreduceSizes: the shared-memory Allreduce against a plain
// loop, for world sizes that do and do not divide the length, and for
// every built-in element-wise op.
func TestSharedAllreduceSizes(t *testing.T) {
	const n = 20_001 // 160 KB of int64: past the threshold
	for _, p := range []int{2, 3, 5} {
		for _, op := range []comm.Op{comm.Sum, comm.Prod, comm.Min, comm.Max} {
			err := comm.Run(context.Background(), p, func(ctx context.Context, c *comm.Comm) error {
				v := make([]int64, n)
				for i := range v {
					v[i] = int64((i*7+c.Rank()*13)%11 - 5)
				}
				got, err := comm.Allreduce(ctx, c, v, op)
				if err != nil {
					return err
				}
				for i := range got {
					want := int64((i*7)%11 - 5)
					for r := 1; r < p; r++ {
						x := int64((i*7+r*13)%11 - 5)
						switch op.String() {
						case "Sum":
							want += x
						case "Prod":
							want *= x
						case "Min":
							want = min(want, x)
						case "Max":
							want = max(want, x)
						}
					}
					if got[i] != want {
						t.Errorf("p=%d %v: [%d] = %d, want %d", p, op, i, got[i], want)
						break
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestAllreduceInto: into a separate buffer and in place, below the
// shared-memory threshold (the generic path) and past it, against the plain
// Allreduce.
func TestAllreduceInto(t *testing.T) {
	for _, p := range []int{1, 2, 3, 4} {
		for _, n := range []int{10, 20_001} {
			for _, inPlace := range []bool{false, true} {
				err := comm.Run(context.Background(), p, func(ctx context.Context, c *comm.Comm) error {
					in := make([]float64, n)
					for i := range in {
						in[i] = float64(i%97) + 0.25*float64(c.Rank()+1)
					}
					want, err := comm.Allreduce(ctx, c, in, comm.Sum)
					if err != nil {
						return err
					}
					out := make([]float64, n)
					if inPlace {
						out = in
					}
					if err := comm.AllreduceInto(ctx, c, in, out, comm.Sum); err != nil {
						return err
					}
					for i := range out {
						if d := out[i] - want[i]; d > 1e-9 || d < -1e-9 {
							t.Errorf("p=%d n=%d in place %v: out[%d] = %v, want %v", p, n, inPlace, i, out[i], want[i])
							break
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	err := comm.Run(context.Background(), 2, func(ctx context.Context, c *comm.Comm) error {
		if err := comm.AllreduceInto(ctx, c, make([]int, 3), make([]int, 2), comm.Sum); err == nil {
			t.Error("AllreduceInto with a short out: no error")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
