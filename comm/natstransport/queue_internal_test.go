package natstransport

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/gorun-dev/gorun/comm/transport"
)

// heldHandler records the frames it is handed; its first Deliver blocks
// until release is closed, which holds the transport's inbox callback and
// with it every grant of credit to the sender.
type heldHandler struct {
	failRecorder
	release chan struct{}
	held    sync.Once
	mu      sync.Mutex
	got     []transport.Frame
	arrived chan struct{} // gets a value per frame
}

func newHeldHandler() *heldHandler {
	return &heldHandler{release: make(chan struct{}), arrived: make(chan struct{}, 64)}
}

func (h *heldHandler) Deliver(f transport.Frame) {
	h.held.Do(func() { <-h.release })
	h.mu.Lock()
	h.got = append(h.got, f)
	h.mu.Unlock()
	h.arrived <- struct{}{}
}

// pair dials ranks 0 and 1 of a two-rank job on a fresh server and starts
// rank 1 with h and rank 0 with a recorder.
func pair(t *testing.T, ctx context.Context, h transport.Handler) (send, recv *Transport) {
	t.Helper()
	srv, err := natsbus.Start(natsbus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	var trs [2]*Transport
	for r := range trs {
		if trs[r], err = Dial(ctx, srv.URL(), srv.Token(), "queue", r, 2); err != nil {
			t.Fatal(err)
		}
	}
	if err := trs[1].Start(h); err != nil {
		t.Fatal(err)
	}
	if err := trs[0].Start(&failRecorder{}); err != nil {
		t.Fatal(err)
	}
	return trs[0], trs[1]
}

// waitFor polls cond until it holds, failing the test after 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10s", what)
		}
	}
}

// A frame four credit windows long, sent in the background while the
// receiver takes nothing, leaves the sender free at once; a Send made
// after it waits behind it; once the receiver takes delivery, both
// arrive whole and in order.
func TestSendBackgroundPastTheWindow(t *testing.T) {
	const window = 64 << 10
	defer SetLimitsForTesting(16<<10, window)()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	h := newHeldHandler()
	defer func() {
		select {
		case <-h.release:
		default:
			close(h.release)
		}
	}()
	tr, rx := pair(t, ctx, h)
	defer rx.Close()
	defer tr.Close()

	// The first frame holds the receiver's callback.
	if err := tr.Send(ctx, 1, transport.Frame{Kind: transport.KindP2P, Tag: 1, Payload: []byte("hold")}); err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte("0123456789abcdef"), 4*window/16)
	sent := make(chan error, 1)
	tr.SendBackground(ctx, 1, transport.Frame{Kind: transport.KindP2P, Tag: 2, Payload: big}, func(err error) { sent <- err })
	// SendBackground has returned: the sender computes from here on.
	p := &tr.peers[1]
	waitFor(t, "the background send filling the window", func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.inflight >= window/2
	})
	after := make(chan error, 1)
	go func() {
		after <- tr.Send(ctx, 1, transport.Frame{Kind: transport.KindP2P, Tag: 3, Payload: []byte("after")})
	}()
	waitFor(t, "the later Send queueing behind", func() bool { return p.queued.Load() == 2 })
	select {
	case err := <-sent:
		t.Fatalf("the background send completed (%v) with no credit back from a receiver holding its inbox", err)
	case err := <-after:
		t.Fatalf("a later Send returned (%v) before the background send ahead of it", err)
	default:
	}

	close(h.release)
	for _, ch := range []chan error{sent, after} {
		select {
		case err := <-ch:
			if err != nil {
				t.Fatal(err)
			}
		case <-ctx.Done():
			t.Fatal("sends not complete once the receiver took delivery")
		}
	}
	for range 3 {
		select {
		case <-h.arrived:
		case <-ctx.Done():
			t.Fatal("frames did not arrive")
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.got) != 3 || h.got[0].Tag != 1 || h.got[1].Tag != 2 || h.got[2].Tag != 3 {
		t.Fatalf("got %d frames, want tags 1, 2, 3 in order", len(h.got))
	}
	if !bytes.Equal(h.got[1].Payload, big) || string(h.got[2].Payload) != "after" {
		t.Fatal("payloads changed on the way")
	}
}

// Close waits for the frames still queued, and gives up on them after
// closeTimeout with an error naming the destination when the receiver
// takes nothing; the background send then fails instead of vanishing.
func TestCloseWaitsForQueuedSends(t *testing.T) {
	defer SetLimitsForTesting(16<<10, 64<<10)()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	t.Run("delivered", func(t *testing.T) {
		h := newHeldHandler()
		close(h.release)
		tr, rx := pair(t, ctx, h)
		defer rx.Close()
		big := bytes.Repeat([]byte{7}, 1<<20)
		sent := make(chan error, 1)
		tr.SendBackground(ctx, 1, transport.Frame{Kind: transport.KindP2P, Payload: big}, func(err error) { sent <- err })
		if err := tr.Close(); err != nil {
			t.Fatalf("Close = %v", err)
		}
		if err := <-sent; err != nil {
			t.Fatalf("background send: %v", err)
		}
		select {
		case <-h.arrived:
		case <-ctx.Done():
			t.Fatal("the frame sent before Close did not arrive")
		}
		if !bytes.Equal(h.got[0].Payload, big) {
			t.Fatal("payload changed on the way")
		}
	})
	t.Run("receiver takes nothing", func(t *testing.T) {
		old := closeTimeout
		closeTimeout = 300 * time.Millisecond
		defer func() { closeTimeout = old }()
		h := newHeldHandler()
		defer close(h.release)
		tr, rx := pair(t, ctx, h)
		defer rx.Close()
		if err := tr.Send(ctx, 1, transport.Frame{Kind: transport.KindP2P, Payload: []byte("hold")}); err != nil {
			t.Fatal(err)
		}
		sent := make(chan error, 1)
		tr.SendBackground(ctx, 1, transport.Frame{Kind: transport.KindP2P, Payload: make([]byte, 1<<20)}, func(err error) { sent <- err })
		err := tr.Close()
		if err == nil || !strings.Contains(err.Error(), "queued for rank 1") {
			t.Errorf("Close = %v, want an error naming rank 1", err)
		}
		select {
		case err := <-sent:
			if err == nil {
				t.Error("the background send Close gave up on reports success")
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the background send still under way 10s after Close")
		}
	})
}
