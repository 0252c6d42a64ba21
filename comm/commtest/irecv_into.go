package commtest

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/gorun-dev/gorun/comm"
)

// checkIrecvInto: receives posted into the caller's buffers before their
// messages are sent, from every rank, complete through Waitall into
// exactly the elements sent (large ones included); a message longer than
// its buffer completes with a *TruncateError; a receive from ProcNull is
// complete at once.
func checkIrecvInto(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	const large = 1 << 17 // float64s: 1 MiB, chunked over a bus
	bufs := make([][]float64, n)
	reqs := make([]*comm.Request, n)
	for src := range n {
		bufs[src] = slices.Repeat([]float64{-1}, large+2)
		reqs[src] = comm.IrecvInto(c, src, 5, bufs[src])
	}
	for dst := range n {
		if err := c.Send(ctx, dst, 5, seq(r, dst, large)); err != nil {
			return err
		}
	}
	sts, err := comm.Waitall(ctx, reqs)
	if err != nil {
		return err
	}
	for src := range n {
		want := append(seq(src, r, large), -1, -1)
		if !slices.Equal(bufs[src], want) || sts[src].Count() != large || sts[src].Source != src {
			return fmt.Errorf("IrecvInto from rank %d: Count %d, buffer starts %v", src, sts[src].Count(), bufs[src][:3])
		}
	}

	right, left := (r+1)%n, (r-1+n)%n
	short := make([]int32, 2)
	req := comm.IrecvInto(c, left, 6, short)
	if err := c.Send(ctx, right, 6, []int32{1, 2, 3}); err != nil {
		return err
	}
	_, err = req.Wait(ctx)
	var te *comm.TruncateError
	if !errors.As(err, &te) || te.Call != "IrecvInto" || te.Count != 3 || te.Len != 2 || te.Source != left || !slices.Equal(short, []int32{1, 2}) {
		return fmt.Errorf("IrecvInto of 3 into 2: %v, buffer %v", err, short)
	}

	st, done, err := comm.IrecvInto(c, comm.ProcNull, 0, short).Test()
	if !done || err != nil || st.Source != comm.ProcNull {
		return fmt.Errorf("IrecvInto from ProcNull: done %v, %v, %+v", done, err, st)
	}
	return nil
}
