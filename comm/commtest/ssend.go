package commtest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
)

// testSsend: a synchronous send completes only once its message is
// received; Issend's request is pending until then; a rank that exits
// without receiving fails the send instead of hanging it.
func testSsend(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		right, left := (r+1)%n, (r-1+n)%n
		// A ring of Issend, then receives, then waits: no deadlock.
		req := c.Issend(ctx, right, 1, r)
		var got int
		if _, err := c.Recv(ctx, left, 1, &got); err != nil {
			return err
		}
		if _, err := req.Wait(ctx); err != nil || got != left {
			return fmt.Errorf("Issend ring: got %d, %v", got, err)
		}
		if n == 1 {
			return c.Ssend(ctx, comm.ProcNull, 0, 1)
		}
		switch r {
		case 0:
			// Rank 1 receives only after it is told to: until then the
			// Issend stays pending, whatever the buffering.
			req := c.Issend(ctx, 1, 2, "sync")
			if err := pendingUntilGo(ctx, c, req, 30*time.Millisecond, 1, 3, "before its receive was posted"); err != nil {
				return err
			}
			if err := c.Ssend(ctx, 1, 4, []float64{1, 2}); err != nil {
				return err
			}
			// Rank 1 exits without receiving tag 5.
			err := c.Ssend(ctx, 1, 5, 0)
			var rf *comm.RankFailedError
			if !errors.As(err, &rf) || rf.Rank != 1 {
				return fmt.Errorf("Ssend to a rank that exits without receiving: %v", err)
			}
		case 1:
			var s string
			if _, err := c.Recv(ctx, 0, 3, &s); err != nil {
				return err
			}
			if _, err := c.Recv(ctx, 0, 2, &s); err != nil || s != "sync" {
				return fmt.Errorf("Recv of the Issend: %q, %v", s, err)
			}
			m, _, err := c.Mprobe(ctx, 0, 4)
			if err != nil {
				return err
			}
			var fs []float64
			if _, err := m.Recv(&fs); err != nil || len(fs) != 2 {
				return fmt.Errorf("Mrecv of the Ssend: %v, %v", fs, err)
			}
		}
		return nil
	})
}

// pendingUntilGo checks that req, a synchronous send, is still pending
// after d, then sends "go" to dst with tag so that dst receives it, and
// waits for req. what says when it must not have completed.
func pendingUntilGo(ctx context.Context, c *comm.Comm, req *comm.Request, d time.Duration, dst, tag int, what string) error {
	short, cancel := context.WithTimeout(ctx, d)
	_, _, err := comm.Waitany(short, []*comm.Request{req})
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("Issend completed %s: %v", what, err)
	}
	if err := c.Send(ctx, dst, tag, "go"); err != nil {
		return err
	}
	_, err = req.Wait(ctx)
	return err
}
