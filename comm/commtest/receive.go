package commtest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// testReceiveErrors checks what a receive that gets no message reports:
// a wrong type or a non-pointer leaves the message queued, a cancelled
// receive says it was cancelled, an empty probe cannot pass for a message,
// and a world whose other ranks have exited is empty, not failed.
func testReceiveErrors(t *testing.T, mk MakeWorld) {
	checks := []struct {
		name string
		fn   func(ctx context.Context, c *comm.Comm) error
	}{
		{"WrongTypeKeepsMessage", checkWrongTypeKeepsMessage},
		{"NotAPointer", checkNotAPointer},
		{"CancelledWait", checkCancelledWait},
		{"EmptyProbe", checkEmptyProbe},
		{"IprobeAfterPeersExit", checkIprobeAfterPeersExit},
	}
	for _, ch := range checks {
		t.Run(ch.name, func(t *testing.T) { eachSize(t, mk, ch.fn) })
	}
}

// checkWrongTypeKeepsMessage receives on rank 0 into the wrong type, with
// the message queued first and with the receive posted first (the hand-off
// and the list of posted receives), then probes and receives it properly.
func checkWrongTypeKeepsMessage(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	if n == 1 {
		return nil
	}
	switch r {
	case 1:
		if err := c.Send(ctx, 0, 1, 42); err != nil {
			return err
		}
		if err := c.Send(ctx, 0, 2, record{Name: "x"}); err != nil {
			return err
		}
		if _, err := c.Recv(ctx, 0, 9, nil); err != nil { // rank 0 has posted its receives
			return err
		}
		if err := c.Send(ctx, 0, 3, "three"); err != nil {
			return err
		}
		return c.Send(ctx, 0, 4, []float64{4})
	case 0:
		var f float64
		st, err := c.Recv(ctx, 1, 1, &f)
		if err == nil || !strings.Contains(err.Error(), "type mismatch") || st.Source != 1 || st.Tag != 1 {
			return fmt.Errorf("Recv of an int into *float64: %+v, %v", st, err)
		}
		var i int
		if _, err := c.Recv(ctx, 1, 2, &i); err == nil {
			return fmt.Errorf("Recv of a struct into *int succeeded")
		}
		if st, ok, err := c.Iprobe(1, 1); !ok || err != nil || st.Tag != 1 {
			return fmt.Errorf("Iprobe after the failed Recv: %+v %v %v", st, ok, err)
		}
		if _, err := c.Recv(ctx, 1, 1, &i); err != nil || i != 42 {
			return fmt.Errorf("Recv after the failed Recv: %d, %v", i, err)
		}
		var rec record
		if _, err := c.Recv(ctx, 1, 2, &rec); err != nil || rec.Name != "x" {
			return fmt.Errorf("Recv of the struct after the failed Recv: %+v, %v", rec, err)
		}
		var n1, n2 int
		first := c.Irecv(1, 3, &n1)  // the hand-off
		second := c.Irecv(1, 4, &n2) // the posted list
		if err := c.Send(ctx, 1, 9, 0); err != nil {
			return err
		}
		for _, req := range []*comm.Request{first, second} {
			if _, err := req.Wait(ctx); err == nil || !strings.Contains(err.Error(), "type mismatch") {
				return fmt.Errorf("posted Irecv into *int of another type: %v", err)
			}
		}
		var s string
		if _, err := c.Recv(ctx, 1, 3, &s); err != nil || s != "three" {
			return fmt.Errorf("Recv after a failed posted receive: %q, %v", s, err)
		}
		var fs []float64
		if _, err := c.Recv(ctx, 1, 4, &fs); err != nil || len(fs) != 1 || fs[0] != 4 {
			return fmt.Errorf("Recv after a failed posted receive: %v, %v", fs, err)
		}
	}
	return nil
}

func checkNotAPointer(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	right, left := (r+1)%n, (r-1+n)%n
	if err := c.Send(ctx, right, 0, r); err != nil {
		return err
	}
	var x int
	if _, err := c.Recv(ctx, left, 0, x); err == nil || !strings.Contains(err.Error(), "pointer") {
		return fmt.Errorf("Recv into an int: %v, want an error saying a pointer is needed", err)
	}
	if _, err := c.Irecv(left, 0, x).Wait(ctx); err == nil || !strings.Contains(err.Error(), "pointer") {
		return fmt.Errorf("Irecv into an int: %v, want an error saying a pointer is needed", err)
	}
	if _, err := c.Recv(ctx, left, 0, &x); err != nil || x != left {
		return fmt.Errorf("Recv after the failed one: %d, %v", x, err)
	}
	return nil
}

func checkCancelledWait(ctx context.Context, c *comm.Comm) error {
	if err := c.Barrier(ctx); err != nil {
		return err
	}
	var x int
	req := c.Irecv(comm.AnySource, 77, &x)
	if !req.Cancel() {
		return fmt.Errorf("Cancel of a pending receive failed")
	}
	st, err := req.Wait(ctx)
	if !errors.Is(err, comm.ErrCancelled) || errors.Is(err, context.Canceled) || !st.Cancelled {
		return fmt.Errorf("Wait on a cancelled Irecv: %+v, %v; want ErrCancelled and Status.Cancelled", st, err)
	}
	if st, done, err := req.Test(); !done || !errors.Is(err, comm.ErrCancelled) || !st.Cancelled {
		return fmt.Errorf("Test on a cancelled Irecv: %+v, %v, %v", st, done, err)
	}
	return c.Barrier(ctx) // peers that have exited would fail an AnySource receive at once
}

func checkEmptyProbe(ctx context.Context, c *comm.Comm) error {
	for _, src := range []int{comm.AnySource, 0} {
		st, ok, err := c.Iprobe(src, 12345)
		if ok || err != nil || st.Source != comm.AnySource || st.Tag != comm.AnyTag {
			return fmt.Errorf("Iprobe(%d) with nothing sent: %+v, %v, %v", src, st, ok, err)
		}
	}
	var x int
	req := c.Irecv(comm.AnySource, 12345, &x)
	st, done, err := req.Test()
	if done || err != nil || st.Source != comm.AnySource || st.Tag != comm.AnyTag {
		return fmt.Errorf("Test with nothing sent: %+v, %v, %v", st, done, err)
	}
	req.Cancel()
	return c.Barrier(ctx)
}

// checkIprobeAfterPeersExit: once every other rank has returned, a receive
// from AnySource fails with ErrNoPeers and Iprobe finds nothing; neither
// names a rank -1.
func checkIprobeAfterPeersExit(ctx context.Context, c *comm.Comm) error {
	if c.Size() == 1 || c.Rank() != 0 {
		return nil
	}
	_, err := c.Recv(ctx, comm.AnySource, comm.AnyTag, nil)
	var rf *comm.RankFailedError
	if !errors.Is(err, comm.ErrNoPeers) || errors.As(err, &rf) {
		return fmt.Errorf("Recv(AnySource) after every peer exited: %v, want ErrNoPeers", err)
	}
	for _, tag := range []int{comm.AnyTag, 3} {
		st, ok, err := c.Iprobe(comm.AnySource, tag)
		if ok || err != nil || st.Source != comm.AnySource {
			return fmt.Errorf("Iprobe(AnySource, %d) after every peer exited: %+v, %v, %v", tag, st, ok, err)
		}
	}
	if _, ok, err := c.Iprobe(1, comm.AnyTag); ok || err != nil {
		return fmt.Errorf("Iprobe(1) after rank 1 exited: %v, %v", ok, err)
	}
	return nil
}
