package commtest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
)

type record struct {
	Name  string
	Score float64
	Tags  []string
}

// testPointToPoint passes values of every codec around the ring and checks
// value and Status.
func testPointToPoint(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		right, left := (r+1)%n, (r-1+n)%n
		values := []any{
			int(r), int64(-r), uint64(r), float64(r) + 0.5, fmt.Sprintf("from %d", r),
			[]byte{byte(r), 1, 2}, []float64{float64(r), 1.5}, []float32{float32(r)}, []int64{int64(r), -1},
			[]int32{int32(r)}, []int{r, r}, []uint64{uint64(r)}, []uint32{uint32(r)},
			record{Name: fmt.Sprint(r), Score: float64(r), Tags: []string{"a"}},
			map[string]int{"rank": r},
		}
		for tag, v := range values {
			if err := c.Send(ctx, right, tag, v); err != nil {
				return err
			}
		}
		for tag, sent := range values {
			want := valueFrom(sent, left)
			got := reflect.New(reflect.TypeOf(sent))
			st, err := c.Recv(ctx, left, tag, got.Interface())
			if err != nil {
				return fmt.Errorf("tag %d: %w", tag, err)
			}
			if !reflect.DeepEqual(got.Elem().Interface(), want) {
				return fmt.Errorf("tag %d: got %#v, want %#v", tag, got.Elem().Interface(), want)
			}
			if st.Source != left || st.Tag != tag || st.Bytes <= 0 {
				return fmt.Errorf("tag %d: status %+v", tag, st)
			}
		}
		return nil
	})
}

// valueFrom rebuilds the value rank r sent in testPointToPoint.
func valueFrom(like any, r int) any {
	switch like.(type) {
	case int:
		return r
	case int64:
		return int64(-r)
	case uint64:
		return uint64(r)
	case float64:
		return float64(r) + 0.5
	case string:
		return fmt.Sprintf("from %d", r)
	case []byte:
		return []byte{byte(r), 1, 2}
	case []float64:
		return []float64{float64(r), 1.5}
	case []float32:
		return []float32{float32(r)}
	case []int64:
		return []int64{int64(r), -1}
	case []int32:
		return []int32{int32(r)}
	case []int:
		return []int{r, r}
	case []uint64:
		return []uint64{uint64(r)}
	case []uint32:
		return []uint32{uint32(r)}
	case record:
		return record{Name: fmt.Sprint(r), Score: float64(r), Tags: []string{"a"}}
	case map[string]int:
		return map[string]int{"rank": r}
	}
	panic("commtest: no rebuild for " + fmt.Sprintf("%T", like))
}

// testWildcards receives with AnySource and AnyTag and checks the Status.
func testWildcards(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		if r != 0 {
			return c.Send(ctx, 0, 10+r, r*100)
		}
		seen := map[int]bool{}
		for range n - 1 {
			var v int
			st, err := c.Recv(ctx, comm.AnySource, comm.AnyTag, &v)
			if err != nil {
				return err
			}
			if v != st.Source*100 || st.Tag != 10+st.Source || seen[st.Source] {
				return fmt.Errorf("AnySource/AnyTag: value %d with status %+v (seen %v)", v, st, seen)
			}
			seen[st.Source] = true
		}
		return nil
	})
}

// testNonOvertaking: messages from one source with one tag arrive in the
// order sent, even when receives pick tags out of order.
func testNonOvertaking(t *testing.T, mk MakeWorld) {
	const per = 500
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		if r != 0 {
			for i := range per {
				if err := c.Send(ctx, 0, i%2, i); err != nil {
					return err
				}
			}
			return nil
		}
		for _, tag := range []int{1, 0} { // all odd ones first, then the even ones
			for src := 1; src < n; src++ {
				for i := tag; i < per; i += 2 {
					var v int
					if _, err := c.Recv(ctx, src, tag, &v); err != nil {
						return err
					}
					if v != i {
						return fmt.Errorf("from %d tag %d: got %d, want %d (overtaken)", src, tag, v, i)
					}
				}
			}
		}
		return nil
	})
}

// testAnySourceFairness: AnySource takes messages in arrival order. The
// senders take turns (a token passed round the ring of senders), so the
// messages arrive round-robin and must be received round-robin.
func testAnySourceFairness(t *testing.T, mk MakeWorld) {
	const rounds = 50
	const tokenTag, dataTag = 1, 2
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		if n < 3 {
			return nil
		}
		if r != 0 {
			next := r%(n-1) + 1
			for i := range rounds {
				if r != 1 || i > 0 {
					var tok int
					if _, err := c.Recv(ctx, (r-2+n-1)%(n-1)+1, tokenTag, &tok); err != nil {
						return err
					}
				}
				if err := c.Send(ctx, 0, dataTag, i); err != nil {
					return err
				}
				if !(r == n-1 && i == rounds-1) {
					if err := c.Send(ctx, next, tokenTag, 0); err != nil {
						return err
					}
				}
			}
			return c.Barrier(ctx)
		}
		if err := c.Barrier(ctx); err != nil { // every message has been sent
			return err
		}
		for i := range rounds * (n - 1) {
			var v int
			st, err := c.Recv(ctx, comm.AnySource, dataTag, &v)
			if err != nil {
				return err
			}
			if wantSrc := i%(n-1) + 1; st.Source != wantSrc || v != i/(n-1) {
				return fmt.Errorf("AnySource receive %d: got message %d from %d, want message %d from %d",
					i, v, st.Source, i/(n-1), wantSrc)
			}
		}
		return nil
	})
}

// testNonBlocking posts receives before the sends and completes them in
// reverse order with Wait and Test.
func testNonBlocking(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		right, left := (r+1)%n, (r-1+n)%n
		const k = 8
		got := make([][]float64, k)
		reqs := make([]*comm.Request, k)
		for i := range k {
			reqs[i] = c.Irecv(left, i, &got[i])
		}
		if err := c.Barrier(ctx); err != nil {
			return err
		}
		for i := range k {
			if _, err := c.Isend(ctx, right, i, []float64{float64(r), float64(i)}).Wait(ctx); err != nil {
				return err
			}
		}
		for i := k - 1; i >= 0; i-- {
			st, err := reqs[i].Wait(ctx)
			if err != nil {
				return err
			}
			if st.Source != left || st.Tag != i || got[i][0] != float64(left) || got[i][1] != float64(i) {
				return fmt.Errorf("Irecv %d: %v status %+v", i, got[i], st)
			}
			if _, done, err := reqs[i].Test(); !done || err != nil {
				return fmt.Errorf("Test after Wait: done=%v err=%v", done, err)
			}
		}
		// Test on a receive nobody has sent yet reports not done.
		var none int
		pending := c.Irecv(left, 99, &none)
		if _, done, _ := pending.Test(); done {
			return fmt.Errorf("Test reported an unsent message as done")
		}
		if !pending.Cancel() {
			return fmt.Errorf("Cancel of a pending receive failed")
		}
		return c.Barrier(ctx)
	})
}

// testProbe: Iprobe sees nothing before the send; Probe then describes the
// message without consuming it.
func testProbe(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		if n == 1 {
			return nil
		}
		if r == 1 {
			return c.Send(ctx, 0, 7, make([]byte, 123))
		}
		if r != 0 {
			return nil
		}
		st, err := c.Probe(ctx, comm.AnySource, 7)
		if err != nil {
			return err
		}
		if st.Source != 1 || st.Tag != 7 || st.Bytes != 123 {
			return fmt.Errorf("Probe status %+v", st)
		}
		if _, ok, err := c.Iprobe(1, 7); !ok || err != nil {
			return fmt.Errorf("Iprobe after Probe: ok=%v err=%v", ok, err)
		}
		if _, ok, _ := c.Iprobe(1, 8); ok {
			return fmt.Errorf("Iprobe found a message with a tag nobody sent")
		}
		var b []byte
		if _, err := c.Recv(ctx, 1, 7, &b); err != nil || len(b) != 123 {
			return fmt.Errorf("Recv after Probe: %d bytes, %v", len(b), err)
		}
		return nil
	})
}

// testZeroLength sends empty values of several kinds.
func testZeroLength(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		right, left := (r+1)%n, (r-1+n)%n
		if err := c.Send(ctx, right, 0, []byte{}); err != nil {
			return err
		}
		if err := c.Send(ctx, right, 1, []float64{}); err != nil {
			return err
		}
		if err := c.Send(ctx, right, 2, ""); err != nil {
			return err
		}
		var b []byte
		var f []float64
		s := "not empty"
		for tag, p := range []any{&b, &f, &s} {
			st, err := c.Recv(ctx, left, tag, p)
			if err != nil {
				return err
			}
			if st.Bytes != 0 {
				return fmt.Errorf("tag %d: %d bytes for an empty value", tag, st.Bytes)
			}
		}
		if len(b) != 0 || len(f) != 0 || s != "" {
			return fmt.Errorf("empty values came back as %v %v %q", b, f, s)
		}
		return nil
	})
}

// testCancellation: a receive whose ctx ends returns the ctx error, and a
// message sent afterwards is not lost to it.
func testCancellation(t *testing.T, mk MakeWorld) {
	eachSize(t, mk, func(ctx context.Context, c *comm.Comm) error {
		n, r := c.Size(), c.Rank()
		if n == 1 {
			return nil
		}
		switch r {
		case 0:
			short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
			var v int
			start := time.Now()
			_, err := c.Recv(short, 1, 5, &v)
			cancel()
			if err != context.DeadlineExceeded {
				return fmt.Errorf("cancelled Recv returned %v", err)
			}
			if d := time.Since(start); d > noticeWithin {
				return fmt.Errorf("cancelled Recv took %v", d)
			}
			if err := c.Send(ctx, 1, 6, 0); err != nil { // now rank 1 may send
				return err
			}
			if _, err := c.Recv(ctx, 1, 5, &v); err != nil || v != 42 {
				return fmt.Errorf("message after cancellation: %d, %v", v, err)
			}
		case 1:
			var go_ int
			if _, err := c.Recv(ctx, 0, 6, &go_); err != nil {
				return err
			}
			return c.Send(ctx, 0, 5, 42)
		}
		return nil
	})
}
