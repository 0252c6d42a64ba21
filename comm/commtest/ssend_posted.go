package commtest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
)

// testSsendPosted: a synchronous send completes once a posted receive has
// matched it, before the receiver waits on that receive: every rank posts
// an Irecv, then Ssends round a ring, then waits. A receive the message
// does not fit does not match it, and an Irecv that has matched cannot be
// cancelled. A world that hangs fails within 30 s.
func testSsendPosted(t *testing.T, mk MakeWorld) {
	for n := 1; n <= 8; n++ {
		t.Run(sizeName(n), func(t *testing.T) {
			if err := worldWithin(t, mk, n, 30*time.Second, ssendPosted); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func ssendPosted(ctx context.Context, c *comm.Comm) error {
	if err := ssendRing(ctx, c, "world"); err != nil {
		return err
	}
	// In a sub-communicator ranks differ from world ranks.
	half, err := c.Split(ctx, c.Rank()%2, -c.Rank())
	if err != nil {
		return err
	}
	if err := ssendRing(ctx, half, "Split"); err != nil {
		return err
	}
	if c.Size() == 1 {
		return nil
	}
	switch c.Rank() {
	case 0:
		return ssendPostedSender(ctx, c)
	case 1:
		return ssendPostedReceiver(ctx, c)
	}
	return nil
}

// ssendRing posts an Irecv from the left, Ssends to the right, waits.
func ssendRing(ctx context.Context, c *comm.Comm, where string) error {
	n, r := c.Size(), c.Rank()
	var got int
	req := c.Irecv((r-1+n)%n, 1, &got)
	if err := c.Ssend(ctx, (r+1)%n, 1, r); err != nil {
		return fmt.Errorf("%s: Ssend to a posted Irecv: %w", where, err)
	}
	if _, err := comm.Waitall(ctx, []*comm.Request{req}); err != nil || got != (r-1+n)%n {
		return fmt.Errorf("%s: Irecv got %d, %v", where, got, err)
	}
	return nil
}

func ssendPostedSender(ctx context.Context, c *comm.Comm) error {
	// Rank 1 posts its Irecv once the message is there, and waits on it
	// only after this Ssend has returned.
	if err := c.Ssend(ctx, 1, 2, 2); err != nil {
		return fmt.Errorf("Ssend to an Irecv posted after the message came: %w", err)
	}
	if err := c.Send(ctx, 1, 3, "matched"); err != nil {
		return err
	}
	// Rank 1's Irecv does not fit this message: the send stays pending.
	req := c.Issend(ctx, 1, 4, 4)
	if _, err := c.Recv(ctx, 1, 5, nil); err != nil {
		return err
	}
	if err := pendingUntilGo(ctx, c, req, 100*time.Millisecond, 1, 6, "by a receive of the wrong type"); err != nil {
		return err
	}
	// Rank 1 cancels its Irecv only after this Ssend has returned.
	if err := c.Ssend(ctx, 1, 7, 7); err != nil {
		return err
	}
	return c.Send(ctx, 1, 8, "cancel now")
}

func ssendPostedReceiver(ctx context.Context, c *comm.Comm) error {
	if _, err := c.Probe(ctx, 0, 2); err != nil { // a probe does not match
		return err
	}
	var got int
	req := c.Irecv(0, 2, &got)
	var s string
	if _, err := c.Recv(ctx, 0, 3, &s); err != nil {
		return err
	}
	if _, err := req.Wait(ctx); err != nil || got != 2 {
		return fmt.Errorf("Irecv posted after the message came: %d, %v", got, err)
	}

	if _, err := c.Irecv(0, 4, &s).Wait(ctx); err == nil {
		return errors.New("Irecv of a string took an int")
	}
	if err := c.Send(ctx, 0, 5, nil); err != nil {
		return err
	}
	if _, err := c.Recv(ctx, 0, 6, &s); err != nil {
		return err
	}
	if _, err := c.Recv(ctx, 0, 4, &got); err != nil || got != 4 {
		return fmt.Errorf("Recv after a mistyped Irecv: %d, %v", got, err)
	}

	req = c.Irecv(0, 7, &got)
	if _, err := c.Recv(ctx, 0, 8, &s); err != nil {
		return err
	}
	if req.Cancel() {
		return errors.New("Cancel withdrew an Irecv whose Ssend had completed")
	}
	if st, err := req.Wait(ctx); err != nil || got != 7 || st.Cancelled {
		return fmt.Errorf("Irecv after a failed Cancel: %d, %+v, %v", got, st, err)
	}
	return nil
}
