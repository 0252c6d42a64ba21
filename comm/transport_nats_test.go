package comm_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/gorun-dev/gorun/comm/natsworld"
)

// natsBus starts an embedded server for one test.
func natsBus(t testing.TB) *natsbus.Server {
	t.Helper()
	srv, err := natsbus.Start(natsbus.Options{Verbose: os.Getenv("NATS_VERBOSE") != ""})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	return srv
}

// natsWorld joins n ranks of job on srv and closes them at the end of the test.
func natsWorld(t testing.TB, srv *natsbus.Server, job string, n int) []*comm.Comm {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	comms, err := natsworld.Connect(ctx, srv.URL(), srv.Token(), job, n)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, c := range comms {
			c.Close()
		}
	})
	return comms
}

// until polls cond until it holds, failing the test after d.
func until(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(time.Millisecond)
	}
}

// pattern returns n bytes whose every 4 KiB block starts with its index, so
// that lost, repeated or reordered chunks show.
func pattern(n int, seed uint64) []byte {
	b := make([]byte, n)
	base := make([]byte, min(n, 1<<20))
	r := rand.New(rand.NewPCG(seed, 1))
	for i := 0; i+8 <= len(base); i += 8 {
		binary.LittleEndian.PutUint64(base[i:], r.Uint64())
	}
	for i := 0; i < n; i += copy(b[i:], base) {
	}
	for blk := 0; blk*4096+8 <= n; blk++ {
		binary.LittleEndian.PutUint64(b[blk*4096:], uint64(blk)^seed)
	}
	return b
}

func TestNATSChunkingBitExact(t *testing.T) {
	srv := natsBus(t)
	comms := natsWorld(t, srv, "chunks", 2)
	maxData := comm.NATSMaxData(comms[1])
	const maxPayload = natsbus.DefaultMaxPayload
	cases := []struct {
		name string
		size int
		long bool
	}{
		{"0B", 0, false},
		{"1B", 1, false},
		{"maxData-1", maxData - 1, false},
		{"maxData", maxData, false},
		{"maxData+1", maxData + 1, false},
		{"MaxPayload-1", maxPayload - 1, false},
		{"MaxPayload", maxPayload, false},
		{"MaxPayload+1", maxPayload + 1, false},
		{"10MiB", 10 << 20, false},
		{"256MiB", 256 << 20, true},
	}
	ctx := context.Background()
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.long && testing.Short() {
				t.Skip("-short")
			}
			want := pattern(tc.size, uint64(i+1))
			errc := make(chan error, 1)
			go func() { errc <- comms[1].Send(ctx, 0, i, want) }()
			var got []byte
			st, err := comms[0].Recv(ctx, 1, i, &got)
			if err != nil {
				t.Fatal(err)
			}
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
			if st.Bytes != tc.size || !bytes.Equal(got, want) {
				t.Fatalf("received %d bytes (status %d), not the %d sent bit for bit", len(got), st.Bytes, tc.size)
			}
			if len(got) > 0 && uintptr(unsafe.Pointer(&got[0]))%8 != 0 {
				t.Errorf("payload of %d bytes is not 8-byte aligned", len(got))
			}
		})
	}
}

// Two goroutines of one rank send multi-chunk frames to one peer at once
// under a tiny credit window: chunks of different frames must never mix,
// and each goroutine's frames keep their order.
func TestNATSConcurrentChunkedSends(t *testing.T) {
	defer comm.SetNATSLimits(16<<10, 64<<10)()
	srv := natsBus(t)
	comms := natsWorld(t, srv, "concurrent", 2)
	ctx := context.Background()
	const perTag, size = 40, 50_000
	var wg sync.WaitGroup
	var sending [2]atomic.Int64 // sends begun, by tag
	for tag := range 2 {
		wg.Go(func() {
			for k := range perTag {
				sending[tag].Add(1)
				if err := comms[1].Send(ctx, 0, tag, pattern(size+k, uint64(tag*1000+k))); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	// Both senders are in the window (it holds one frame) before anything
	// is received.
	until(t, 10*time.Second, "both senders to start", func() bool {
		return sending[0].Load() > 0 && sending[1].Load() > 0
	})
	for k := range perTag {
		for tag := range 2 {
			var got []byte
			if _, err := comms[0].Recv(ctx, 1, tag, &got); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, pattern(size+k, uint64(tag*1000+k))) {
				t.Fatalf("tag %d message %d: wrong content (%d bytes)", tag, k, len(got))
			}
		}
	}
	wg.Wait()
}

func TestNATSByeClosesPeer(t *testing.T) {
	srv := natsBus(t)
	comms := natsWorld(t, srv, "bye", 2)
	ctx := context.Background()
	if err := comms[1].Send(ctx, 0, 7, "last words"); err != nil {
		t.Fatal(err)
	}
	if err := comms[1].Close(); err != nil {
		t.Fatal(err)
	}
	var s string
	if _, err := comms[0].Recv(ctx, 1, 7, &s); err != nil || s != "last words" {
		t.Fatalf("message sent before Close: %q, %v", s, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err := comms[0].Recv(ctx, 1, 7, &s)
	var rf *comm.RankFailedError
	if !errors.As(err, &rf) || rf.Rank != 1 || !errors.Is(err, comm.ErrAborted) {
		t.Fatalf("Recv from a closed rank: %v, want a RankFailedError for rank 1", err)
	}
}

func TestNATSAbortSubject(t *testing.T) {
	srv := natsBus(t)
	comms := natsWorld(t, srv, "abort", 3)
	nc := natsClient(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		var v int
		_, err := comms[0].Recv(ctx, 1, 0, &v)
		errc <- err
	}()
	if err := nc.Publish(jobenv.SubjectAbort("abort"), []byte("2 killed by signal 9")); err != nil {
		t.Fatal(err)
	}
	err := <-errc
	var rf *comm.RankFailedError
	if !errors.As(err, &rf) || rf.Rank != 2 || rf.Reason != "killed by signal 9" {
		t.Fatalf("Recv after the launcher's abort: %v, want rank 2 killed by signal 9", err)
	}
}

func TestNATSServerKilled(t *testing.T) {
	srv := natsBus(t)
	const n = 3
	comms := natsWorld(t, srv, "kill", n)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	errs := make(chan error, n)
	for _, c := range comms {
		go func() {
			var v int
			_, err := c.Recv(ctx, comm.AnySource, 0, &v)
			errs <- err
		}()
	}
	// The receives may block before the bus dies or be posted after: both
	// must fail within the second.
	start := time.Now()
	srv.Shutdown()
	for range n {
		err := <-errs
		if !errors.Is(err, comm.ErrAborted) {
			t.Errorf("blocked Recv after the bus died: %v, want ErrAborted", err)
		}
		if d := time.Since(start); d > 5*time.Second { // about a second, with margin for -race on a loaded machine
			t.Errorf("Recv failed %v after the bus died, want within about 1s", d)
		}
	}
	if err := comms[0].Send(ctx, 1, 0, 1); err == nil {
		t.Error("Send after the bus died succeeded")
	}
}

func TestNATSSelfSend(t *testing.T) {
	srv := natsBus(t)
	comms := natsWorld(t, srv, "self", 1)
	ctx := context.Background()
	want := []float64{1, 2, 3}
	if err := comms[0].Send(ctx, 0, 3, want); err != nil {
		t.Fatal(err)
	}
	want[0] = 99 // the sent value is a copy
	var got []float64
	if _, err := comms[0].Recv(ctx, 0, 3, &got); err != nil || fmt.Sprint(got) != "[1 2 3]" {
		t.Fatalf("self send: %v, %v", got, err)
	}
}

// With a tiny window, a stream of small messages fills it and the rest go
// as batches: all arrive, in order, bit for bit.
func TestNATSBatchesSmallFrames(t *testing.T) {
	defer comm.SetNATSLimits(0, 64<<10)()
	srv := natsBus(t)
	comms := natsWorld(t, srv, "batches", 2)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const n = 5000
	errc := make(chan error, 1)
	go func() {
		for i := range n {
			if err := comms[1].Send(ctx, 0, i%3, []int64{int64(i), -int64(i)}); err != nil {
				errc <- err
				return
			}
		}
		errc <- nil
	}()
	for i := range n {
		var v []int64
		st, err := comms[0].Recv(ctx, 1, comm.AnyTag, &v)
		if err != nil {
			t.Fatal(err)
		}
		if st.Tag != i%3 || len(v) != 2 || v[0] != int64(i) || v[1] != -int64(i) {
			t.Fatalf("message %d: tag %d, %v", i, st.Tag, v)
		}
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if b := comm.NATSBatches(comms[1]); b == 0 {
		t.Error("no batch was sent although the window was full")
	}
}

// A large send cancelled half-way is dropped whole by the receiver, and
// the next frame arrives intact.
func TestNATSCancelledLargeSend(t *testing.T) {
	defer comm.SetNATSLimits(16<<10, 64<<10)()
	srv := natsBus(t)
	comms := natsWorld(t, srv, "cancel", 2)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err := comms[1].Send(ctx, 0, 0, make([]byte, 50<<20))
	if err == nil {
		t.Skip("50 MiB in 16 KiB chunks went out within 20 ms")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancelled Send: %v, want DeadlineExceeded", err)
	}
	bg, cancel2 := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel2()
	if err := comms[1].Send(bg, 0, 0, "next"); err != nil {
		t.Fatal(err)
	}
	var s string
	st, err := comms[0].Recv(bg, 1, 0, &s)
	if err != nil || s != "next" {
		t.Fatalf("after a cancelled send: %q (%d bytes), %v; want \"next\"", s, st.Bytes, err)
	}
}
