package commtest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
)

// testRequests completes receives from every rank (and inactive nil
// entries) with each of Waitall, Waitany, Waitsome, Testall, Testany and
// Testsome.
func testRequests(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		forms := []string{"Waitall", "Waitany", "Waitsome", "Testall", "Testany", "Testsome"}
		for round, form := range forms {
			got := make([]int, n)
			reqs := make([]*comm.Request, 2*n) // odd entries stay nil: inactive
			for src := range n {
				reqs[2*src] = c.Irecv(src, round, &got[src])
			}
			for dst := range n {
				if err := c.Send(ctx, dst, round, 100*r+dst); err != nil {
					return err
				}
			}
			done, err := complete(ctx, form, reqs)
			if err != nil {
				return fmt.Errorf("%s: %w", form, err)
			}
			for src := range n {
				if got[src] != 100*src+r {
					return fmt.Errorf("%s: from rank %d got %d", form, src, got[src])
				}
			}
			slices.Sort(done)
			for src := range n {
				if done[src] != 2*src {
					return fmt.Errorf("%s: completed indices %v", form, done)
				}
			}
			if slices.ContainsFunc(reqs, func(r *comm.Request) bool { return r != nil }) {
				return fmt.Errorf("%s left completed requests active", form)
			}
		}
		// Nothing active: Waitany and Testany report index -1 at once.
		if i, _, err := comm.Waitany(ctx, []*comm.Request{nil, nil}); i != -1 || err != nil {
			return fmt.Errorf("Waitany of inactive requests: %d, %v", i, err)
		}
		if i, _, done, _ := comm.Testany(nil); i != -1 || !done {
			return fmt.Errorf("Testany of no requests: %d, %v", i, done)
		}
		// A ctx that ends leaves the requests active.
		var x int
		reqs := []*comm.Request{c.Irecv(r, 999, &x)}
		short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		_, _, err := comm.Waitany(short, reqs)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) || reqs[0] == nil {
			return fmt.Errorf("Waitany past its deadline: %v, active %v", err, reqs[0] != nil)
		}
		if err := c.Send(ctx, r, 999, 7); err != nil {
			return err
		}
		if _, err := comm.Waitall(ctx, reqs); err != nil || x != 7 {
			return fmt.Errorf("Waitall after a Waitany past its deadline: %d, %v", x, err)
		}
		return c.Barrier(ctx)
	})
}

// complete completes reqs with one of the calls on several requests and
// returns the indices it completed.
func complete(ctx context.Context, form string, reqs []*comm.Request) ([]int, error) {
	var done []int
	for {
		switch form {
		case "Waitall":
			sts, err := comm.Waitall(ctx, reqs)
			for i, st := range sts {
				if i%2 == 0 {
					done = append(done, i)
					if st.Source != i/2 {
						return nil, fmt.Errorf("status %d: %+v", i, st)
					}
				} else if st.Source != comm.AnySource {
					return nil, fmt.Errorf("status of inactive request %d: %+v", i, st)
				}
			}
			return done, err
		case "Waitany":
			i, st, err := comm.Waitany(ctx, reqs)
			if err != nil || i < 0 {
				return done, err
			}
			if st.Source != i/2 {
				return nil, fmt.Errorf("status %d: %+v", i, st)
			}
			done = append(done, i)
		case "Waitsome":
			idx, sts, err := comm.Waitsome(ctx, reqs)
			if err != nil || idx == nil {
				return done, err
			}
			for j, i := range idx {
				if sts[j].Source != i/2 {
					return nil, fmt.Errorf("status %d: %+v", i, sts[j])
				}
			}
			done = append(done, idx...)
		case "Testall", "Testany", "Testsome":
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			runtime.Gosched() // polling: let the senders run
			switch form {
			case "Testall":
				if _, ok, err := comm.Testall(reqs); ok {
					for i := range reqs {
						if i%2 == 0 {
							done = append(done, i)
						}
					}
					return done, err
				}
			case "Testany":
				i, _, ok, err := comm.Testany(reqs)
				if err != nil || ok && i < 0 {
					return done, err
				}
				if ok {
					done = append(done, i)
				}
			default:
				idx, _, err := comm.Testsome(reqs)
				if err != nil {
					return done, err
				}
				done = append(done, idx...)
				if !slices.ContainsFunc(reqs, func(r *comm.Request) bool { return r != nil }) {
					return done, nil
				}
			}
		}
	}
}
