package commtest

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
)

// noticeWithin bounds how long a blocked call may take to fail after its
// cause (a mismatch, a peer leaving). The contract is about a second; the
// rest is margin for -race on a busy machine with few cores.
const noticeWithin = 5 * time.Second

// testHuge sends large messages bit-exact: 32 MiB at every size, and
// 256 MiB between two ranks unless -short. Under -race on a busy machine
// 256 MiB can take minutes, so only a world stuck for 10 fails.
func testHuge(t *testing.T, mk MakeWorld) {
	sizes := []int{32 << 20}
	if !testing.Short() {
		sizes = append(sizes, 256<<20)
	}
	for _, size := range sizes {
		t.Run(fmt.Sprintf("%dMiB", size>>20), func(t *testing.T) {
			err := worldWithin(t, mk, 2, 10*time.Minute, func(ctx context.Context, c *comm.Comm) error {
				if c.Rank() == 0 {
					return c.Send(ctx, 1, 0, pattern(size, 7))
				}
				var b []byte
				if _, err := c.Recv(ctx, 0, 0, &b); err != nil {
					return err
				}
				return samePattern(b, size, 7)
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// pattern is n pseudo-random bytes, 8 at a time (the race detector makes
// byte-wise loops over 256 MiB slow).
func pattern(n int, seed byte) []byte {
	b := make([]byte, n+8)
	x := uint64(seed)*0x9E3779B97F4A7C15 | 1
	for i := 0; i < n; i += 8 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		binary.LittleEndian.PutUint64(b[i:], x)
	}
	return b[:n]
}

func samePattern(b []byte, n int, seed byte) error {
	if len(b) != n {
		return fmt.Errorf("got %d bytes, want %d", len(b), n)
	}
	if want := pattern(n, seed); !bytes.Equal(b, want) {
		for i := range b {
			if b[i] != want[i] {
				return fmt.Errorf("byte %d differs: got %#x, want %#x", i, b[i], want[i])
			}
		}
	}
	return nil
}

// testMismatch: rank 0 calls Bcast while rank 1 calls Gather. Both must get
// an error naming both calls, within about a second, and nothing may hang.
func testMismatch(t *testing.T, mk MakeWorld) {
	errs := make([]error, 2)
	took := make([]time.Duration, 2)
	err := world(t, mk, 2, func(ctx context.Context, c *comm.Comm) error {
		start := time.Now()
		var err error
		if c.Rank() == 0 {
			v := 1.0
			err = comm.Bcast(ctx, c, 0, &v)
		} else {
			_, err = comm.Gather(ctx, c, 0, 1.0)
		}
		errs[c.Rank()], took[c.Rank()] = err, time.Since(start)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for r, err := range errs {
		var me *comm.MismatchError
		if !errors.As(err, &me) {
			t.Errorf("rank %d: got %v, want a *comm.MismatchError", r, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "Bcast") || !strings.Contains(msg, "Gather") {
			t.Errorf("rank %d: %q does not name both calls", r, msg)
		}
		if took[r] > noticeWithin {
			t.Errorf("rank %d: mismatch reported after %v", r, took[r])
		}
	}
}

// testPeerCloses: one rank leaves while the others are in an Allreduce;
// they all get an error wrapping ErrAborted within a second.
func testPeerCloses(t *testing.T, mk MakeWorld) {
	for _, n := range []int{2, 3, 4, 7} {
		t.Run(sizeName(n), func(t *testing.T) {
			leaver := n - 1
			var mu sync.Mutex
			errs := map[int]error{}
			took := map[int]time.Duration{}
			var calling atomic.Int32 // ranks about to call Allreduce
			world(t, mk, n, func(ctx context.Context, c *comm.Comm) error {
				if c.Rank() == leaver {
					for calling.Load() < int32(n-1) {
						if ctx.Err() != nil {
							return ctx.Err()
						}
						runtime.Gosched()
					}
					return c.Close()
				}
				calling.Add(1)
				start := time.Now()
				_, err := comm.Allreduce(ctx, c, []float64{1, 2, 3}, comm.Sum)
				mu.Lock()
				errs[c.Rank()], took[c.Rank()] = err, time.Since(start)
				mu.Unlock()
				return err
			})
			for r := range n {
				if r == leaver {
					continue
				}
				if !errors.Is(errs[r], comm.ErrAborted) {
					t.Errorf("rank %d: got %v, want an error wrapping comm.ErrAborted", r, errs[r])
				}
				if took[r] > noticeWithin {
					t.Errorf("rank %d: noticed the departure after %v", r, took[r])
				}
			}
		})
	}
}

// testNoSilentLoss: ranks 1-7 each send 100,000 small messages to rank 0,
// which starts receiving only once more have been sent than a NATS
// subscription's default pending limit (64k) or every sender is done. All
// 700,000 arrive, in order per sender.
func testNoSilentLoss(t *testing.T, mk MakeWorld) {
	per := 100_000
	if testing.Short() {
		per = 10_000
	}
	var sent, done atomic.Int64
	err := world(t, mk, 8, func(ctx context.Context, c *comm.Comm) error {
		if c.Rank() != 0 {
			defer done.Add(1)
			for i := range per {
				if err := c.Send(ctx, 0, 0, int64(i)); err != nil {
					return fmt.Errorf("send %d: %w", i, err)
				}
				sent.Add(1)
			}
			return nil
		}
		for sent.Load() <= 1<<16 && done.Load() < int64(c.Size()-1) {
			if err := ctx.Err(); err != nil {
				return err
			}
			time.Sleep(time.Millisecond)
		}
		next := make([]int64, c.Size())
		for range per * (c.Size() - 1) {
			var v int64
			st, err := c.Recv(ctx, comm.AnySource, 0, &v)
			if err != nil {
				return err
			}
			if v != next[st.Source] {
				return fmt.Errorf("from rank %d: got message %d, want %d", st.Source, v, next[st.Source])
			}
			next[st.Source]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
