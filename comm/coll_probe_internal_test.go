package comm

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// A probe wakes every collective wait parked on the rank it reaches, not
// one: ranks 0 and 1 each park eight waits on communicators shared with
// rank 2, which stays out of them, before they call mismatched collectives
// on a communicator of their own. The only probe that can reveal the
// mismatch to a rank is its peer's, and it must reach the wait it is for
// among nine parked ones.
func TestProbeWakesEveryParkedWait(t *testing.T) {
	const parked = 8
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	errs := make([]error, 2)
	_ = Run(ctx, 3, func(ctx context.Context, c *Comm) error {
		var others []*Comm // this rank's communicators with rank 2 (none on 2)
		for _, with := range []int{0, 1} {
			for range parked {
				color := Undefined
				if c.Rank() == with || c.Rank() == 2 {
					color = 0
				}
				sub, err := c.Split(ctx, color, c.Rank())
				if err != nil {
					return err
				}
				if sub != nil && c.Rank() != 2 {
					others = append(others, sub)
				}
			}
		}
		pairColor := 0
		if c.Rank() == 2 {
			pairColor = Undefined
		}
		pair, err := c.Split(ctx, pairColor, c.Rank())
		if err != nil {
			return err
		}
		if c.Rank() == 2 {
			var v int
			_, err := c.Recv(ctx, 0, 0, &v) // until rank 0 is done
			return err
		}
		waitsCtx, stopWaits := context.WithCancel(ctx)
		defer stopWaits()
		var wg sync.WaitGroup
		for _, o := range others {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = o.Barrier(waitsCtx) // rank 2 never comes
			}()
		}
		for c.mb.collParked.Load() < parked {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			time.Sleep(time.Millisecond)
		}
		v := 1
		err = Bcast(ctx, pair, 1-pair.Rank(), &v) // each names the other as root
		errs[c.Rank()] = err
		stopWaits()
		wg.Wait()
		return err
	})
	for r, err := range errs {
		var me *MismatchError
		if !errors.As(err, &me) {
			t.Errorf("rank %d: got %v, want a *MismatchError", r, err)
		}
	}
}
