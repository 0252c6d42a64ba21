package comm

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"
)

// withProcs runs the test with at least n processors, so that worlds of
// up to n ranks get cells.
func withProcs(t *testing.T, n int) {
	old := runtime.GOMAXPROCS(max(n, runtime.GOMAXPROCS(0)))
	t.Cleanup(func() { runtime.GOMAXPROCS(old) })
}

// foldInRankOrder is what every rank must get: op over the ranks'
// contributions, folded from rank 0 up, as the cells do.
func foldInRankOrder(op func(a, b float64) float64, contrib func(r int) []float64, p int) []float64 {
	out := append([]float64(nil), contrib(0)...)
	for r := 1; r < p; r++ {
		for i, x := range contrib(r) {
			out[i] = op(out[i], x)
		}
	}
	return out
}

// TestCellAllreduce: small Allreduces in goroutine worlds of several sizes
// go through the cells, give every rank the rank-order fold bit for bit,
// and interleave with collectives that use messages (which exercise the
// wait before a cell is reused).
func TestCellAllreduce(t *testing.T) {
	withProcs(t, 8)
	ops := []struct {
		op Op
		f  func(a, b float64) float64
	}{
		{Sum, func(a, b float64) float64 { return a + b }},
		{Prod, func(a, b float64) float64 { return a * b }},
		{Min, func(a, b float64) float64 { return min(a, b) }},
		{Max, func(a, b float64) float64 { return max(a, b) }},
	}
	for _, p := range []int{2, 3, 4, 7, 8} {
		t.Run(fmt.Sprintf("ranks=%d", p), func(t *testing.T) {
			err := Run(context.Background(), p, func(ctx context.Context, c *Comm) error {
				if c.proc.cells == nil {
					return errors.New("no cells in this world")
				}
				calls := 300
				if p > runtime.NumCPU() {
					calls = 60 // more polling ranks than cores: slow, and no different
				}
				for i := range calls {
					n := i%6 + 1
					contrib := func(r int) []float64 {
						v := make([]float64, n)
						for e := range v {
							v[e] = 0.1*float64(r+1) + float64(i*e) + 1/3.0
						}
						return v
					}
					o := ops[i%len(ops)]
					got, err := Allreduce(ctx, c, contrib(c.Rank()), o.op)
					if err != nil {
						return err
					}
					want := foldInRankOrder(o.f, contrib, p)
					for e := range want {
						if got[e] != want[e] {
							return fmt.Errorf("call %d, %s, element %d: %v, want %v", i, o.op, e, got[e], want[e])
						}
					}
					if a := c.proc.cells.ranks[c.Rank()].ann.Load(); a&annCells == 0 {
						return fmt.Errorf("call %d did not go through the cells", i)
					}
					sum, err := Allreduce(ctx, c, int64(c.Rank()+i), Sum)
					if err != nil {
						return err
					}
					if want := int64(p*i + p*(p-1)/2); sum != want {
						return fmt.Errorf("call %d: scalar sum %d, want %d", i, sum, want)
					}
					switch {
					case i%7 == 0:
						x := i * c.Rank()
						err := Bcast(ctx, c, i%p, &x)
						if err == nil && x != i*(i%p) {
							err = fmt.Errorf("call %d: Bcast gave %d", i, x)
						}
						if err != nil {
							return err
						}
					case i%11 == 0:
						if err := c.Barrier(ctx); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// failWithin bounds how long a failing world may take to fail. The
// contract is about a second; the rest is margin for -race on a busy
// machine with few cores.
const failWithin = 5 * time.Second

// ranksErrors runs a 2-rank world in which rank r runs calls[r] and
// returns each rank's error, failing the test if they take failWithin.
func ranksErrors(t *testing.T, calls [2]func(ctx context.Context, c *Comm) error) [2]error {
	t.Helper()
	var errs [2]error
	start := time.Now()
	_ = Run(context.Background(), 2, func(ctx context.Context, c *Comm) error {
		errs[c.Rank()] = calls[c.Rank()](ctx, c)
		return errs[c.Rank()]
	})
	if d := time.Since(start); d > failWithin {
		t.Errorf("the world took %v to fail", d)
	}
	return errs
}

// TestCellAllreduceMismatch: a rank in a cell Allreduce and a peer in
// another call, or in an Allreduce of another shape, both fail, naming
// what went wrong, instead of hanging.
func TestCellAllreduceMismatch(t *testing.T) {
	withProcs(t, 2)
	small := func(ctx context.Context, c *Comm) error {
		_, err := Allreduce(ctx, c, []float64{1}, Sum)
		return err
	}
	cases := []struct {
		name  string
		other func(ctx context.Context, c *Comm) error
		want  [2]string // in rank 0's error, in rank 1's error
	}{
		{"Bcast", func(ctx context.Context, c *Comm) error {
			x := 1.0
			return Bcast(ctx, c, 0, &x)
		}, [2]string{"rank 1 called Bcast(root 0)", "Allreduce"}},
		{"Barrier", func(ctx context.Context, c *Comm) error { return c.Barrier(ctx) },
			[2]string{"rank 1 called Barrier", "Allreduce"}},
		{"messages", func(ctx context.Context, c *Comm) error {
			_, err := Allreduce(ctx, c, make([]float64, 1000), Sum)
			return err
		}, [2]string{"Allreduce of another type, length or op", "Allreduce"}},
		{"length", func(ctx context.Context, c *Comm) error {
			_, err := Allreduce(ctx, c, []float64{1, 2}, Sum)
			return err
		}, [2]string{"rank 1 called Allreduce of 2 × float64 with Sum", "rank 0 called Allreduce of 1 × float64 with Sum"}},
		{"op", func(ctx context.Context, c *Comm) error {
			_, err := Allreduce(ctx, c, []float64{1}, Max)
			return err
		}, [2]string{"rank 1 called Allreduce of 1 × float64 with Max", "rank 0 called Allreduce of 1 × float64 with Sum"}},
		{"type", func(ctx context.Context, c *Comm) error {
			_, err := Allreduce(ctx, c, []int64{1}, Sum)
			return err
		}, [2]string{"rank 1 called Allreduce of 1 × int64", "rank 0 called Allreduce of 1 × float64"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs := ranksErrors(t, [2]func(context.Context, *Comm) error{small, tc.other})
			for r, err := range errs {
				if err == nil || !strings.Contains(err.Error(), tc.want[r]) {
					t.Errorf("rank %d: %v, want an error containing %q", r, err, tc.want[r])
				}
			}
		})
	}
}

// TestCellAllreduceFailures: a rank waiting in a cell Allreduce learns
// within a second that its peer failed, left, or that its own ctx ended;
// a peer that is merely slow (past the polling, into the pauses) is
// waited for.
func TestCellAllreduceFailures(t *testing.T) {
	withProcs(t, 2)
	small := func(ctx context.Context, c *Comm) error {
		_, err := Allreduce(ctx, c, []float64{1}, Sum)
		return err
	}
	boom := errors.New("boom")
	errs := ranksErrors(t, [2]func(context.Context, *Comm) error{small, func(context.Context, *Comm) error { return boom }})
	var rf *RankFailedError
	if !errors.As(errs[0], &rf) || rf.Rank != 1 {
		t.Errorf("peer failed: rank 0 got %v, want a *RankFailedError for rank 1", errs[0])
	}
	errs = ranksErrors(t, [2]func(context.Context, *Comm) error{small, func(context.Context, *Comm) error { return nil }})
	if !errors.As(errs[0], &rf) || rf.Rank != 1 {
		t.Errorf("peer left: rank 0 got %v, want a *RankFailedError for rank 1", errs[0])
	}
	timedOut := make(chan struct{})
	errs = ranksErrors(t, [2]func(context.Context, *Comm) error{
		func(ctx context.Context, c *Comm) error {
			defer close(timedOut)
			ctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
			defer cancel()
			return small(ctx, c)
		},
		func(ctx context.Context, c *Comm) error {
			<-timedOut // arrive after rank 0 gave up
			return small(ctx, c)
		}})
	if !errors.Is(errs[0], context.DeadlineExceeded) {
		t.Errorf("ctx ended: rank 0 got %v", errs[0])
	}
	err := Run(context.Background(), 2, func(ctx context.Context, c *Comm) error {
		if c.Rank() == 1 { // arrive once rank 0 waits parked
			deadline := time.Now().Add(failWithin)
			for c.proc.cells != nil && !c.proc.cells.ranks[0].parked.Load() && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
		}
		got, err := Allreduce(ctx, c, float64(c.Rank()+1), Sum)
		if err == nil && got != 3 {
			err = fmt.Errorf("slow peer: sum %v, want 3", got)
		}
		return err
	})
	if err != nil {
		t.Error(err)
	}
}

// TestCellsLayout: each rank's announcement, two cells and parking state
// are four cache lines of their own, allocated 64-byte aligned.
func TestCellsLayout(t *testing.T) {
	withProcs(t, 4)
	var rc rankCells
	if s := unsafe.Sizeof(rc); s != 256 {
		t.Errorf("sizeof(rankCells) = %d, want 256", s)
	}
	if o := unsafe.Offsetof(rc.cell); o != 64 {
		t.Errorf("cells at byte %d, want 64", o)
	}
	if o := unsafe.Offsetof(rc.parked); o != 192 {
		t.Errorf("parking state at byte %d, want 192", o)
	}
	for _, r := range newCells(4, make([]atomic.Bool, 4)).ranks {
		if p := uintptr(unsafe.Pointer(r)); p%64 != 0 {
			t.Fatalf("rankCells at %#x, not 64-byte aligned", p)
		}
	}
}

// TestCellAllreduceMismatchBehind: ranks in a mismatched call followed by a
// cell Allreduce fail in the mismatched call itself: no rank leaves it for
// the cells (where it would send its peers nothing), so none hangs.
func TestCellAllreduceMismatchBehind(t *testing.T) {
	withProcs(t, 3)
	cases := map[string]func(ctx context.Context, c *Comm) error{
		// rank 1 waits for a frame from rank 2, its parent in a tree
		// rooted at 2; rank 2, a leaf of the tree rooted at 0, is done.
		"Bcast roots": func(ctx context.Context, c *Comm) error {
			x := 1.0
			if c.Rank() == 1 {
				return Bcast(ctx, c, 2, &x)
			}
			return Bcast(ctx, c, 0, &x)
		},
		"Scatter against Bcast": func(ctx context.Context, c *Comm) error {
			if c.Rank() == 1 {
				_, err := Scatter[float64](ctx, c, 2, nil)
				return err
			}
			x := 1.0
			return Bcast(ctx, c, 0, &x)
		},
	}
	for name, first := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			err := Run(context.Background(), 3, func(ctx context.Context, c *Comm) error {
				if c.proc.cells == nil {
					return errors.New("no cells in this world")
				}
				if err := first(ctx, c); err != nil {
					return err
				}
				_, err := Allreduce(ctx, c, 1.0, Sum)
				return err
			})
			var me *MismatchError
			if !errors.As(err, &me) || me.Seq != 0 {
				t.Errorf("got %v, want a mismatch in call #0", err)
			}
			if d := time.Since(start); d > failWithin {
				t.Errorf("the world took %v to fail", d)
			}
		})
	}
}
