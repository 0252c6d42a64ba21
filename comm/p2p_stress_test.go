package comm

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// TestP2PStressMixedReceives: senders stream numbered messages on two
// tags, 8-byte (inline in the hand-off) or 40-byte, at random paces; rank
// 0 takes them with a random mix of Recv (named source or AnySource, named
// tag or AnyTag), Irecv with Test, Irecv cancelled at once, Recv with
// microsecond deadlines and Probe then Recv, on one goroutine or on two at
// once. Every (source, tag) stream must arrive whole, once and in order.
// (After a reviewer's stress test of the hand-off.)
func TestP2PStressMixedReceives(t *testing.T) {
	withProcs(t, 4)
	for _, p := range []int{2, 3} {
		for _, receivers := range []int{1, 2} {
			t.Run(fmt.Sprintf("ranks=%d/receivers=%d", p, receivers), func(t *testing.T) {
				if err := Run(context.Background(), p, func(ctx context.Context, c *Comm) error {
					if c.Rank() != 0 {
						return streamNumbered(ctx, c, 1000)
					}
					return receiveMixed(ctx, c, (p-1)*1000, receivers)
				}); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// streamNumbered sends n messages to rank 0, each []int64{seq, ...} on a
// random tag (0 or 1), seq counting per tag.
func streamNumbered(ctx context.Context, c *Comm, n int) error {
	rng := rand.New(rand.NewPCG(uint64(c.Rank()), 1))
	var seq [2]int64
	for range n {
		tag := rng.IntN(2)
		msg := []int64{seq[tag]}
		if rng.IntN(3) == 0 {
			msg = append(msg, 1, 2, 3, 4)
		}
		seq[tag]++
		if err := c.Send(ctx, 0, tag, msg); err != nil {
			return err
		}
		if rng.IntN(50) == 0 { // let the receiver get there first, sometimes
			time.Sleep(time.Duration(rng.IntN(200)) * time.Microsecond)
		}
	}
	return c.Barrier(ctx)
}

// receiveMixed receives total messages on rank 0 with receivers goroutines
// (each on its own tag when there are two), checking the order per stream.
func receiveMixed(ctx context.Context, c *Comm, total, receivers int) error {
	var mu sync.Mutex
	next := map[[2]int]int64{}
	got := 0
	record := func(st Status, v []int64) error {
		mu.Lock()
		defer mu.Unlock()
		k := [2]int{st.Source, st.Tag}
		if len(v) == 0 || v[0] != next[k] {
			return fmt.Errorf("from %d tag %d: %v, want number %d", st.Source, st.Tag, v, next[k])
		}
		next[k]++
		got++
		return nil
	}
	more := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return got < total
	}
	var wg sync.WaitGroup
	errs := make([]error, receivers)
	for g := range receivers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 7))
			tag := AnyTag
			if receivers > 1 {
				tag = g
			}
			for more() && errs[g] == nil {
				errs[g] = receiveOne(ctx, c, rng, tag, record)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if st, ok, _ := c.Iprobe(AnySource, AnyTag); ok {
		return fmt.Errorf("an extra message after all %d: %+v", total, st)
	}
	return c.Barrier(ctx)
}

// receiveOne tries to receive one message in a randomly chosen way;
// giving up (a deadline, a cancel) is fine, losing or reordering is not.
func receiveOne(ctx context.Context, c *Comm, rng *rand.Rand, tag int, record func(Status, []int64) error) error {
	src := AnySource
	if rng.IntN(2) == 0 {
		src = 1 + rng.IntN(c.Size()-1)
	}
	if tag == AnyTag && rng.IntN(2) == 0 {
		tag = rng.IntN(2)
	}
	var v []int64
	deadline := func(max time.Duration) (context.Context, context.CancelFunc) {
		return context.WithTimeout(ctx, time.Duration(rng.Int64N(int64(max))))
	}
	var st Status
	var err error
	switch rng.IntN(10) {
	case 0: // Irecv, Test a while, then Cancel or Wait
		r := c.Irecv(src, tag, &v)
		for i := 0; i < 2000; i++ {
			var done bool
			if st, done, err = r.Test(); done || err != nil {
				return orDone(record, st, v, err)
			}
		}
		if r.Cancel() {
			return nil
		}
		st, err = r.Wait(ctx)
	case 1: // Irecv cancelled at once
		r := c.Irecv(src, tag, &v)
		if r.Cancel() {
			return nil
		}
		st, err = r.Wait(ctx)
	case 2: // Recv with a deadline of up to 50 µs
		dctx, cancel := deadline(50 * time.Microsecond)
		st, err = c.Recv(dctx, src, tag, &v)
		cancel()
	case 3: // Probe, then Recv exactly what it saw
		dctx, cancel := deadline(100 * time.Microsecond)
		pst, perr := c.Probe(dctx, src, tag)
		cancel()
		if perr != nil {
			return orDone(record, pst, nil, perr)
		}
		if st, err = c.Recv(ctx, pst.Source, pst.Tag, &v); err == nil && st != pst {
			return fmt.Errorf("Probe saw %+v, Recv got %+v", pst, st)
		}
	default:
		dctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		st, err = c.Recv(dctx, src, tag, &v)
		cancel()
	}
	return orDone(record, st, v, err)
}

// orDone records a received message, or ignores a receive that timed out.
func orDone(record func(Status, []int64) error, st Status, v []int64, err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return nil
	case err != nil:
		return err
	}
	return record(st, v)
}
