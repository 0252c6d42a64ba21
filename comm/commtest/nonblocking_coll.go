package commtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
)

// nbcCase is one non-blocking collective with fixed inputs: start starts
// it on c, and check (called once its request has completed) returns
// what is wrong with its result.
type nbcCase struct {
	name  string
	start func(ctx context.Context, c *comm.Comm) (*comm.Request, func() error)
}

// nbcCases are every non-blocking collective, with roots other than 0
// where they take one.
func nbcCases() []nbcCase {
	return []nbcCase{
		{"Ibarrier", func(ctx context.Context, c *comm.Comm) (*comm.Request, func() error) {
			return c.Ibarrier(ctx), func() error { return nil }
		}},
		{"Ibcast", func(ctx context.Context, c *comm.Comm) (*comm.Request, func() error) {
			root := c.Size() - 1
			var v string
			if c.Rank() == root {
				v = fmt.Sprint("from ", root)
			}
			return comm.Ibcast(ctx, c, root, &v), func() error {
				return want(v, fmt.Sprint("from ", root))
			}
		}},
		{"Ireduce", func(ctx context.Context, c *comm.Comm) (*comm.Request, func() error) {
			n, root := c.Size(), c.Size()/2
			var out int
			return comm.Ireduce(ctx, c, root, c.Rank()+1, comm.Sum, &out), func() error {
				return want(out, pick3(c.Rank() == root, n*(n+1)/2, 0))
			}
		}},
		{"Iallreduce", func(ctx context.Context, c *comm.Comm) (*comm.Request, func() error) {
			n, r := c.Size(), float64(c.Rank())
			var out []float64
			return comm.Iallreduce(ctx, c, []float64{r, 2 * r}, comm.Sum, &out), func() error {
				s := float64(n * (n - 1) / 2)
				return want(fmt.Sprint(out), fmt.Sprint([]float64{s, 2 * s}))
			}
		}},
		{"Iscan", func(ctx context.Context, c *comm.Comm) (*comm.Request, func() error) {
			r := c.Rank()
			var out int
			return comm.Iscan(ctx, c, r+1, comm.Sum, &out), func() error { return want(out, (r+1)*(r+2)/2) }
		}},
		{"Iexscan", func(ctx context.Context, c *comm.Comm) (*comm.Request, func() error) {
			r := c.Rank()
			var out int
			return comm.Iexscan(ctx, c, r+1, comm.Sum, &out), func() error { return want(out, r*(r+1)/2) }
		}},
		{"IreduceScatter", func(ctx context.Context, c *comm.Comm) (*comm.Request, func() error) {
			n := c.Size()
			ones := slices.Repeat([]int64{1}, 2*n)
			var out []int64
			return comm.IreduceScatter(ctx, c, ones, slices.Repeat([]int{2}, n), comm.Sum, &out), func() error {
				return want(fmt.Sprint(out), fmt.Sprint([]int64{int64(n), int64(n)}))
			}
		}},
		{"Igather", func(ctx context.Context, c *comm.Comm) (*comm.Request, func() error) {
			n, r := c.Size(), c.Rank()
			var out []int
			return comm.Igather(ctx, c, 0, r*r, &out), func() error {
				var w []int
				if r == 0 {
					for i := range n {
						w = append(w, i*i)
					}
				}
				return want(fmt.Sprint(out), fmt.Sprint(w))
			}
		}},
		{"Igatherv", func(ctx context.Context, c *comm.Comm) (*comm.Request, func() error) {
			n, r, root := c.Size(), c.Rank(), c.Size()-1
			var out []int32
			return comm.Igatherv(ctx, c, root, slices.Repeat([]int32{int32(r)}, r), &out), func() error {
				var w []int32
				for i := range n {
					w = append(w, slices.Repeat([]int32{int32(i)}, i)...)
				}
				if r != root {
					w = nil
				}
				return want(fmt.Sprint(out), fmt.Sprint(w))
			}
		}},
		{"Iscatter", func(ctx context.Context, c *comm.Comm) (*comm.Request, func() error) {
			n, r := c.Size(), c.Rank()
			var vs []string
			if r == 0 {
				for i := range n {
					vs = append(vs, fmt.Sprint("for ", i))
				}
			}
			var out string
			return comm.Iscatter(ctx, c, 0, vs, &out), func() error { return want(out, fmt.Sprint("for ", r)) }
		}},
		{"Iscatterv", func(ctx context.Context, c *comm.Comm) (*comm.Request, func() error) {
			n, r, root := c.Size(), c.Rank(), c.Size()/2
			counts := comm.EvenCounts(10, n)
			var v []float64
			if r == root {
				for i := range 10 {
					v = append(v, float64(i))
				}
			}
			var out []float64
			return comm.Iscatterv(ctx, c, root, v, counts, &out), func() error {
				lo := 0
				for _, k := range counts[:r] {
					lo += k
				}
				if len(out) != counts[r] || len(out) > 0 && out[0] != float64(lo) {
					return fmt.Errorf("got %v, want %d values from %d", out, counts[r], lo)
				}
				return nil
			}
		}},
		{"Iallgather", func(ctx context.Context, c *comm.Comm) (*comm.Request, func() error) {
			n := c.Size()
			var out []string
			return comm.Iallgather(ctx, c, fmt.Sprint(c.Rank()), &out), func() error {
				var w []string
				for i := range n {
					w = append(w, fmt.Sprint(i))
				}
				return want(strings.Join(out, ","), strings.Join(w, ","))
			}
		}},
		{"Iallgatherv", func(ctx context.Context, c *comm.Comm) (*comm.Request, func() error) {
			n, r := c.Size(), c.Rank()
			var out []int32
			return comm.Iallgatherv(ctx, c, slices.Repeat([]int32{int32(r)}, r+1), &out), func() error {
				return want(len(out), n*(n+1)/2)
			}
		}},
		{"Ialltoall", func(ctx context.Context, c *comm.Comm) (*comm.Request, func() error) {
			n, r := c.Size(), c.Rank()
			vs := make([]int, n)
			for j := range vs {
				vs[j] = 100*r + j
			}
			var out []int
			return comm.Ialltoall(ctx, c, vs, &out), func() error {
				w := make([]int, n)
				for i := range w {
					w[i] = 100*i + r
				}
				return want(fmt.Sprint(out), fmt.Sprint(w))
			}
		}},
		{"Ialltoallv", func(ctx context.Context, c *comm.Comm) (*comm.Request, func() error) {
			n, r := c.Size(), c.Rank()
			var send []int64
			counts := make([]int, n)
			for j := range n {
				counts[j] = j + 1
				send = append(send, slices.Repeat([]int64{int64(r)}, j+1)...)
			}
			var out []int64
			var outCounts []int
			return comm.Ialltoallv(ctx, c, send, counts, &out, &outCounts), func() error {
				var w []int64
				for i := range n {
					w = append(w, slices.Repeat([]int64{int64(i)}, r+1)...)
				}
				if err := want(fmt.Sprint(outCounts), fmt.Sprint(slices.Repeat([]int{r + 1}, n))); err != nil {
					return err
				}
				return want(fmt.Sprint(out), fmt.Sprint(w))
			}
		}},
	}
}

func want[T comparable](got, w T) error {
	if got != w {
		return fmt.Errorf("got %v, want %v", got, w)
	}
	return nil
}

func pick3[T any](first bool, a, b T) T {
	if first {
		return a
	}
	return b
}

// testNonBlockingCollectives starts every non-blocking collective at once,
// exchanges point-to-point messages and runs blocking collectives while
// they are outstanding, then waits for them in reverse order; twice, so
// that the second round runs where the first one did.
func testNonBlockingCollectives(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		for round := range 2 {
			cases := nbcCases()
			reqs := make([]*comm.Request, len(cases))
			checks := make([]func() error, len(cases))
			for i, cs := range cases {
				reqs[i], checks[i] = cs.start(ctx, c)
			}
			// Point-to-point and blocking collectives never match the
			// outstanding collectives' traffic.
			var got int
			if _, err := c.Sendrecv(ctx, (r+1)%n, 0, r, (r-1+n)%n, 0, &got); err != nil {
				return err
			}
			if got != (r-1+n)%n {
				return fmt.Errorf("Sendrecv among outstanding collectives: got %d", got)
			}
			sum, err := comm.Allreduce(ctx, c, 1, comm.Sum)
			if err != nil || sum != n {
				return fmt.Errorf("Allreduce among outstanding collectives: %d, %v", sum, err)
			}
			for i := len(reqs) - 1; i >= 0; i-- {
				if _, err := reqs[i].Wait(ctx); err != nil {
					return fmt.Errorf("round %d: %s: %w", round, cases[i].name, err)
				}
				if err := checks[i](); err != nil {
					return fmt.Errorf("round %d: %s: %w", round, cases[i].name, err)
				}
			}
		}
		return nil
	})
}

// testNonBlockingMany keeps more non-blocking collectives outstanding than
// progress at once, mixed with Waitall on a few, and checks each result.
func testNonBlockingMany(t *testing.T, mk MakeWorld) {
	const many = 100
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		outs := make([]int, many)
		reqs := make([]*comm.Request, many)
		for i := range reqs {
			reqs[i] = comm.Iallreduce(ctx, c, i*r, comm.Sum, &outs[i])
		}
		if _, err := comm.Waitall(ctx, reqs); err != nil {
			return err
		}
		for i, out := range outs {
			if out != i*n*(n-1)/2 {
				return fmt.Errorf("Iallreduce #%d: got %d", i, out)
			}
		}
		return nil
	})
}

// testNonBlockingOverlap: rank 0 starts collectives and then blocks in
// receives that the others send only once those collectives have completed
// on their side, which needs rank 0's part of them. They complete only if
// they progress while rank 0 computes (here: waits elsewhere) without
// waiting on them. The others complete theirs by polling Test.
func testNonBlockingOverlap(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		big := make([]float64, 1<<17) // 1 MiB: chunks on a bus
		if r == 0 {
			for i := range big {
				big[i] = float64(i)
			}
		}
		var sum int
		reqs := []*comm.Request{comm.Ibcast(ctx, c, 0, &big), comm.Iallreduce(ctx, c, r+1, comm.Sum, &sum)}
		if r == 0 {
			for src := 1; src < n; src++ {
				var got int
				if _, err := c.Recv(ctx, src, 7, &got); err != nil {
					return err
				}
				if got != n*(n+1)/2 {
					return fmt.Errorf("rank %d reported %d", src, got)
				}
			}
			_, err := comm.Waitall(ctx, reqs)
			return err
		}
		deadline := time.Now().Add(time.Minute)
		for {
			_, done, err := comm.Testall(reqs)
			if err != nil {
				return err
			}
			if done {
				break
			}
			if time.Now().After(deadline) {
				return errors.New("the collectives did not complete while rank 0 was busy")
			}
			time.Sleep(time.Millisecond) // the computation between polls
		}
		if big[len(big)-1] != float64(len(big)-1) {
			return fmt.Errorf("Ibcast: last element %v", big[len(big)-1])
		}
		return c.Send(ctx, 0, 7, sum)
	})
}

// testNonBlockingMismatch: ranks split into two groups that start
// different calls at the same position: two non-blocking collectives, or
// a blocking collective against its own non-blocking form (which MPI
// forbids as well). Every rank gets a *comm.MismatchError naming both
// calls within noticeWithin: none returns a result, none hangs. A Barrier
// first lets a staged world learn its nodes, so that the mismatched calls
// are the first to differ.
func testNonBlockingMismatch(t *testing.T, mk MakeWorld) {
	wait := func(ctx context.Context, r *comm.Request) error { _, err := r.Wait(ctx); return err }
	calls := map[string]func(ctx context.Context, c *comm.Comm) error{
		"Ibarrier": func(ctx context.Context, c *comm.Comm) error { return wait(ctx, c.Ibarrier(ctx)) },
		"Barrier":  func(ctx context.Context, c *comm.Comm) error { return c.Barrier(ctx) },
		"Ibcast(root 0)": func(ctx context.Context, c *comm.Comm) error {
			v := c.Rank()
			return wait(ctx, comm.Ibcast(ctx, c, 0, &v))
		},
		"Bcast(root 0)": func(ctx context.Context, c *comm.Comm) error {
			v := c.Rank()
			return comm.Bcast(ctx, c, 0, &v)
		},
		"Iallreduce(2 elements, Sum)": func(ctx context.Context, c *comm.Comm) error {
			var out []float64
			return wait(ctx, comm.Iallreduce(ctx, c, []float64{1, 2}, comm.Sum, &out))
		},
		"Allreduce(2 elements, Sum)": func(ctx context.Context, c *comm.Comm) error {
			_, err := comm.Allreduce(ctx, c, []float64{1, 2}, comm.Sum)
			return err
		},
	}
	pairs := [][2]string{
		{"Ibcast(root 0)", "Ibarrier"},
		{"Barrier", "Ibarrier"},
		{"Ibcast(root 0)", "Bcast(root 0)"},
		{"Allreduce(2 elements, Sum)", "Iallreduce(2 elements, Sum)"},
	}
	groups := []func(r, n int) bool{
		func(r, n int) bool { return r == 0 },
		func(r, n int) bool { return r == n-1 },
		func(r, n int) bool { return r%2 == 1 },
	}
	for i, pair := range pairs {
		for j, n := range []int{2, 3, 4, 7} {
			inA := groups[(i+j)%len(groups)]
			t.Run(fmt.Sprintf("%s-vs-%s/%s", pair[0], pair[1], sizeName(n)), func(t *testing.T) {
				errs, took := make([]error, n), make([]time.Duration, n)
				var done sync.WaitGroup
				done.Add(n)
				world(t, mk, n, func(ctx context.Context, c *comm.Comm) error {
					call := calls[pair[1]]
					if inA(c.Rank(), n) {
						call = calls[pair[0]]
					}
					// A rank still in the Barrier may learn of the
					// mismatch there.
					start := time.Now()
					err := c.Barrier(ctx)
					if err == nil {
						start = time.Now()
						err = call(ctx, c)
					}
					errs[c.Rank()], took[c.Rank()] = err, time.Since(start)
					done.Done()
					done.Wait()
					return nil
				})
				for r, err := range errs {
					var me *comm.MismatchError
					switch {
					case !errors.As(err, &me):
						t.Errorf("rank %d: got %v, want a *comm.MismatchError", r, err)
					case me.Call != pair[0] && me.Call != pair[1] || me.PeerCall != pair[0] && me.PeerCall != pair[1] || me.Call == me.PeerCall:
						t.Errorf("rank %d: %q does not name %s and %s", r, err, pair[0], pair[1])
					case took[r] > noticeWithin:
						t.Errorf("rank %d: mismatch reported after %v", r, took[r])
					}
				}
			})
		}
	}
}
