package commtest

import (
	"context"
	"fmt"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// testSendrecv: a ring shift with Sendrecv and SendrecvReplace, and a
// non-periodic halo exchange whose edges send to and receive from
// ProcNull.
func testSendrecv(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		right, left := (r+1)%n, (r-1+n)%n
		var got int
		st, err := c.Sendrecv(ctx, right, 1, r*10, left, 1, &got)
		if err != nil {
			return err
		}
		if got != left*10 || st.Source != left || st.Tag != 1 {
			return fmt.Errorf("Sendrecv ring shift: got %d, status %+v", got, st)
		}
		// Every rank shifts the other way at the same time: no deadlock.
		row := []float64{float64(r), 0.5}
		if st, err = c.SendrecvReplace(ctx, left, 2, right, 2, &row); err != nil {
			return err
		}
		if row[0] != float64(right) || row[1] != 0.5 || st.Source != right {
			return fmt.Errorf("SendrecvReplace: got %v, status %+v", row, st)
		}
		rec := record{Name: fmt.Sprint(r)}
		if _, err = c.SendrecvReplace(ctx, right, 3, left, 3, &rec); err != nil {
			return err
		}
		if rec.Name != fmt.Sprint(left) {
			return fmt.Errorf("SendrecvReplace of a struct: got %+v", rec)
		}
		// Halo exchange on a line: the ends have ProcNull as neighbour.
		lo, hi := r-1, r+1
		if lo < 0 {
			lo = comm.ProcNull
		}
		if hi >= n {
			hi = comm.ProcNull
		}
		fromLo, fromHi := -1, -1
		if st, err = c.Sendrecv(ctx, hi, 4, r, lo, 4, &fromLo); err != nil {
			return err
		}
		if lo == comm.ProcNull && (fromLo != -1 || st.Source != comm.ProcNull || st.Bytes != 0) ||
			lo != comm.ProcNull && fromLo != lo {
			return fmt.Errorf("halo from below: got %d, status %+v", fromLo, st)
		}
		if _, err = c.Sendrecv(ctx, lo, 5, r, hi, 5, &fromHi); err != nil {
			return err
		}
		if hi == comm.ProcNull && fromHi != -1 || hi != comm.ProcNull && fromHi != hi {
			return fmt.Errorf("halo from above: got %d", fromHi)
		}
		// ProcNull everywhere point-to-point takes a rank.
		if err := c.Send(ctx, comm.ProcNull, 0, "x"); err != nil {
			return err
		}
		if st, ok, err := c.Iprobe(comm.ProcNull, comm.AnyTag); !ok || err != nil || st.Source != comm.ProcNull {
			return fmt.Errorf("Iprobe(ProcNull): %+v %v %v", st, ok, err)
		}
		if st, err := c.Probe(ctx, comm.ProcNull, 0); err != nil || st.Source != comm.ProcNull {
			return fmt.Errorf("Probe(ProcNull): %+v %v", st, err)
		}
		if st, err := c.Irecv(comm.ProcNull, 0, &got).Wait(ctx); err != nil || st.Source != comm.ProcNull {
			return fmt.Errorf("Irecv(ProcNull): %+v %v", st, err)
		}
		return nil
	})
}
