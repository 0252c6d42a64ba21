package commtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// testBuffers: the calls that fill the caller's buffers (RecvInto,
// IrecvInto, BcastInto) fill exactly the elements sent, leave the rest alone, and
// refuse a message that does not fit with an error that names the call,
// the counts and the source.
func testBuffers(t *testing.T, mk MakeWorld) {
	t.Run("RecvInto", func(t *testing.T) { eachSize(t, mk, checkRecvInto) })
	t.Run("IrecvInto", func(t *testing.T) { eachSize(t, mk, checkIrecvInto) })
	t.Run("BcastInto", func(t *testing.T) { eachSize(t, mk, checkBcastInto) })
	t.Run("BcastIntoLengths", func(t *testing.T) { checkIntoLengths(t, mk) })
}

// seq is a block that tells rank r's k-th message apart: r*1000+k*10+i.
func seq(r, k, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = float64(r*1000 + k*10 + i)
	}
	return s
}

func checkRecvInto(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	right, left := (r+1)%n, (r-1+n)%n
	send := func(tag int, v any) error { return c.Send(ctx, right, tag, v) }
	// Exact fit, a shorter message (the rest untouched), a struct slice.
	if err := send(1, seq(r, 1, 5)); err != nil {
		return err
	}
	buf := make([]float64, 5)
	st, err := comm.RecvInto(ctx, c, left, 1, buf)
	if err != nil {
		return err
	}
	if !slices.Equal(buf, seq(left, 1, 5)) || st.Count() != 5 || st.Source != left || st.Tag != 1 {
		return fmt.Errorf("RecvInto: got %v, status %+v (Count %d)", buf, st, st.Count())
	}
	if err := send(2, seq(r, 2, 3)); err != nil {
		return err
	}
	for i := range buf {
		buf[i] = -1
	}
	if st, err = comm.RecvInto(ctx, c, comm.AnySource, 2, buf); err != nil {
		return err
	}
	if want := append(seq(left, 2, 3), -1, -1); !slices.Equal(buf, want) || st.Count() != 3 {
		return fmt.Errorf("RecvInto of 3 into 5: got %v, want %v, Count %d", buf, want, st.Count())
	}
	recs := []record{{Name: fmt.Sprint(r), Score: float64(r)}, {Name: "b"}}
	if err := send(3, recs); err != nil {
		return err
	}
	gotRecs := make([]record, 2)
	if _, err = comm.RecvInto(ctx, c, left, 3, gotRecs); err != nil {
		return err
	}
	if gotRecs[0].Name != fmt.Sprint(left) || gotRecs[1].Name != "b" {
		return fmt.Errorf("RecvInto of structs: got %+v", gotRecs)
	}
	// A message of another type stays queued; the right type then takes it.
	if err := send(4, []int64{int64(r), 7}); err != nil {
		return err
	}
	if _, err = comm.RecvInto(ctx, c, left, 4, buf); err == nil || !strings.Contains(err.Error(), "[]int64") {
		return fmt.Errorf("RecvInto of []int64 into []float64: %v", err)
	}
	ints := make([]int64, 2)
	if _, err = comm.RecvInto(ctx, c, left, 4, ints); err != nil || ints[0] != int64(left) || ints[1] != 7 {
		return fmt.Errorf("RecvInto after a type mismatch: %v, %v", ints, err)
	}
	// Too long: a *TruncateError naming the counts and the source.
	if err := send(5, []byte("0123456789")); err != nil {
		return err
	}
	small := make([]byte, 4)
	_, err = comm.RecvInto(ctx, c, left, 5, small)
	var te *comm.TruncateError
	if !errors.As(err, &te) || te.Count != 10 || te.Len != 4 || te.Source != left || te.Tag != 5 || te.Call != "RecvInto" ||
		!strings.Contains(err.Error(), fmt.Sprintf("rank %d", left)) {
		return fmt.Errorf("RecvInto of 10 bytes into 4: %v (%+v)", err, te)
	}
	// ProcNull: nothing received, the buffer untouched.
	if st, err = comm.RecvInto(ctx, c, comm.ProcNull, 0, small); err != nil || st.Source != comm.ProcNull || string(small) != "0123" {
		return fmt.Errorf("RecvInto from ProcNull: %+v %v %q", st, err, small)
	}
	return c.Barrier(ctx)
}

func checkBcastInto(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	for root := range n {
		buf := seq(r, 9, 7) // every rank's own, overwritten but at root
		if err := comm.BcastInto(ctx, c, root, buf); err != nil {
			return err
		}
		if !slices.Equal(buf, seq(root, 9, 7)) {
			return fmt.Errorf("BcastInto from %d: got %v", root, buf)
		}
	}
	root := n - 1
	b := []byte(fmt.Sprintf("rank %02d", r))
	if err := comm.BcastInto(ctx, c, root, b); err != nil {
		return err
	}
	if want := fmt.Sprintf("rank %02d", root); string(b) != want {
		return fmt.Errorf("BcastInto of bytes: got %q, want %q", b, want)
	}
	recs := make([]record, 3)
	if r == 0 {
		recs[2] = record{Name: "from 0", Score: 1.5}
	}
	if err := comm.BcastInto(ctx, c, 0, recs); err != nil {
		return err
	}
	if recs[2].Name != "from 0" || recs[2].Score != 1.5 {
		return fmt.Errorf("BcastInto of structs: got %+v", recs)
	}
	if err := comm.BcastInto(ctx, c, 0, []int32{}); err != nil {
		return fmt.Errorf("BcastInto of nothing: %v", err)
	}
	// Bcast and BcastInto are one call: a value from one, into the other.
	v := []float64{1, 2}
	if r != 0 {
		v = nil
	}
	if err := comm.Bcast(ctx, c, 0, &v); err != nil {
		return err
	}
	if err := comm.BcastInto(ctx, c, 0, v); err != nil || v[1] != 2 {
		return fmt.Errorf("Bcast then BcastInto: %v %v", v, err)
	}
	return nil
}

// checkIntoLengths: a rank whose buffer is shorter than root's fails with
// an error that names the call and both lengths; no rank hangs.
func checkIntoLengths(t *testing.T, mk MakeWorld) {
	for _, n := range []int{2, 3, 5} {
		t.Run(sizeName(n), func(t *testing.T) {
			var mu sync.Mutex
			errs := make([]error, n)
			world(t, mk, n, func(ctx context.Context, c *comm.Comm) error {
				buf := make([]float64, 4)
				if c.Rank() == 1 {
					buf = buf[:3]
				}
				err := comm.BcastInto(ctx, c, 0, buf)
				mu.Lock()
				errs[c.Rank()] = err
				mu.Unlock()
				return err
			})
			err := errs[1]
			if err == nil || !strings.Contains(err.Error(), "Bcast(root 0)") || !strings.Contains(err.Error(), "4") ||
				!strings.Contains(err.Error(), "3") {
				t.Fatalf("rank 1 with 3 elements against root's 4: %v", err)
			}
		})
	}
}
