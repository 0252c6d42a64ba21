package comm

import (
	"bytes"
	"context"
	"errors"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/gorun-dev/gorun/comm/transport"
)

// postedOnSlot posts a blocking receive from src with tag on m and checks
// that it took the hand-off.
func postedOnSlot(t *testing.T, m *mailbox, kind transport.Kind, src int32, tag int64) *waiter {
	t.Helper()
	w := getWaiter(kind, commWorld, src, tag)
	m.post(w)
	if w.slot != m {
		t.Fatalf("receive from %d tag %d was not posted on the hand-off", src, tag)
	}
	return w
}

// untilParked polls until the receiver of m's hand-off has parked.
func untilParked(t *testing.T, m *mailbox) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for m.slot.state.Load()&slotParked == 0 {
		if time.Now().After(deadline) {
			t.Error("the hand-off receiver did not park within 10s")
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// TestHandoffFrames: a frame handed off keeps every header field and its
// payload bytes and nil-ness, inline (<= 8 bytes, copied and 8-byte
// aligned) or not (handed over).
func TestHandoffFrames(t *testing.T) {
	payloads := map[string][]byte{
		"nil": nil, "empty": {}, "1B": {7}, "7B": []byte("abcdefg"), "8B": []byte("abcdefgh"),
		"9B": []byte("abcdefghi"), "4KiB": bytes.Repeat([]byte{0xa5}, 4096),
	}
	for name, p := range payloads {
		t.Run(name, func(t *testing.T) {
			m := newMailbox(0, 3)
			w := postedOnSlot(t, m, transport.KindP2P, AnySource, AnyTag)
			sent := transport.Frame{Kind: transport.KindP2P, Codec: 5, Op: 9, Src: 2, Comm: commWorld, Tag: 42, Arg: -3, Payload: p}
			m.deliver(sent)
			if w.slot != m || !w.completed() || w.slot != nil {
				t.Fatal("the hand-off did not complete the receive")
			}
			got := w.f
			if got.Kind != sent.Kind || got.Codec != sent.Codec || got.Op != sent.Op || got.Src != sent.Src ||
				got.Comm != sent.Comm || got.Tag != sent.Tag || got.Arg != sent.Arg {
				t.Errorf("header %+v, sent %+v", got, sent)
			}
			if !bytes.Equal(got.Payload, p) || (got.Payload == nil) != (p == nil) {
				t.Errorf("payload %v (nil %v), sent %v (nil %v)", got.Payload, got.Payload == nil, p, p == nil)
			}
			if len(p) > 0 && len(p) <= 8 && uintptr(unsafe.Pointer(&got.Payload[0]))%8 != 0 {
				t.Error("inline payload is not 8-byte aligned")
			}
			if len(p) > 0 && len(p) <= 8 && &got.Payload[0] == &p[0] {
				t.Error("a small payload was not copied")
			}
			putWaiter(w)
			if st := m.slot.state.Load(); st&slotPhase != slotFree {
				t.Errorf("hand-off state %#x after the take, want free", st)
			}
		})
	}
}

// TestHandoffMatching: a frame that does not match the hand-off receive
// is queued for a later one; a collective receive never takes the
// hand-off; a receive posted while the hand-off is busy
// goes on the list behind it, and the hand-off, the oldest, matches first.
func TestHandoffMatching(t *testing.T) {
	m := newMailbox(0, 3)
	w1 := postedOnSlot(t, m, transport.KindP2P, 1, 5)
	m.deliver(transport.Frame{Kind: transport.KindP2P, Src: 2, Comm: commWorld, Tag: 5, Payload: []byte("other source")})
	m.deliver(transport.Frame{Kind: transport.KindP2P, Src: 1, Comm: commWorld, Tag: 6, Payload: []byte("other tag")})
	m.deliver(transport.Frame{Kind: transport.KindColl, Src: 1, Comm: commWorld, Tag: 5, Payload: []byte("other kind")})
	if w1.completed() {
		t.Fatalf("receive (1, 5) completed with %q", w1.f.Payload)
	}
	wc := getWaiter(transport.KindColl, commWorld, 2, 0)
	m.post(wc)
	if wc.slot != nil || wc.completed() {
		t.Fatal("a collective receive took the busy hand-off, or a point-to-point frame")
	}
	m.cancel(wc)
	w2 := getWaiter(transport.KindP2P, commWorld, 1, AnyTag)
	m.post(w2) // finds "other tag" queued
	if !w2.completed() || string(w2.f.Payload) != "other tag" {
		t.Fatalf("AnyTag receive: completed %v with %q, want the queued frame", w2.completed(), w2.f.Payload)
	}
	w3 := getWaiter(transport.KindP2P, commWorld, 1, AnyTag)
	m.post(w3)
	if w3.slot != nil {
		t.Fatal("a receive was posted on the busy hand-off")
	}
	m.deliver(transport.Frame{Kind: transport.KindP2P, Src: 1, Comm: commWorld, Tag: 5, Payload: []byte("first")})
	m.deliver(transport.Frame{Kind: transport.KindP2P, Src: 1, Comm: commWorld, Tag: 5, Payload: []byte("second")})
	if !w1.completed() || string(w1.f.Payload) != "first" {
		t.Errorf("hand-off receive got %q, want first", w1.f.Payload)
	}
	if !w3.completed() || string(w3.f.Payload) != "second" {
		t.Errorf("listed receive got %q, want second", w3.f.Payload)
	}
}

// TestHandoffParked: a receiver that parks on the hand-off is woken by the
// frame; one whose ctx ends first withdraws it, and the frame sent after
// that waits in the queue for the next receive.
func TestHandoffParked(t *testing.T) {
	m := newMailbox(0, 2) // no spin policy set: wait parks at once
	w := postedOnSlot(t, m, transport.KindP2P, 1, 0)
	go func() {
		untilParked(t, m)
		m.deliver(transport.Frame{Kind: transport.KindP2P, Src: 1, Comm: commWorld, Payload: []byte("late")})
	}()
	f, err := m.wait(context.Background(), w)
	if err != nil || string(f.Payload) != "late" {
		t.Fatalf("parked wait: %q, %v", f.Payload, err)
	}
	putWaiter(w)

	w = postedOnSlot(t, m, transport.KindP2P, 1, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := m.wait(ctx, w); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("wait past its deadline: %v", err)
	}
	putWaiter(w)
	m.deliver(transport.Frame{Kind: transport.KindP2P, Src: 1, Comm: commWorld, Payload: []byte("after")})
	w = getWaiter(transport.KindP2P, commWorld, 1, 0)
	m.post(w)
	if !w.completed() || string(w.f.Payload) != "after" {
		t.Fatalf("the frame after a withdrawn receive: completed %v, %q", w.completed(), w.f.Payload)
	}
}

// TestHandoffCancelRace: a sender and a withdrawing receiver race many
// times; every frame ends up either in the cancelled receive (cancel
// reports false) or queued for the next receive, never lost or doubled.
func TestHandoffCancelRace(t *testing.T) {
	m := newMailbox(0, 2)
	for i := range 2000 {
		w := postedOnSlot(t, m, transport.KindP2P, 1, 0)
		var wg sync.WaitGroup
		wg.Go(func() {
			m.deliver(transport.Frame{Kind: transport.KindP2P, Src: 1, Comm: commWorld, Tag: int64(i % 2), Payload: []byte{byte(i)}})
		})
		withdrawn := m.cancel(w)
		wg.Wait()
		if !withdrawn {
			if w.slot != nil || w.f.Payload[0] != byte(i) {
				t.Fatalf("round %d: matched receive holds %v", i, w.f.Payload)
			}
			putWaiter(w)
			continue
		}
		w = getWaiter(transport.KindP2P, commWorld, 1, AnyTag)
		m.post(w)
		if !w.completed() || w.f.Payload[0] != byte(i) {
			t.Fatalf("round %d: frame lost after a withdrawal", i)
		}
		putWaiter(w)
	}
}

// TestHandoffFailures: a receive on the hand-off fails when its source
// leaves or the world aborts, whether it polls or has parked.
func TestHandoffFailures(t *testing.T) {
	m := newMailbox(0, 4)
	w := postedOnSlot(t, m, transport.KindP2P, 1, 0)
	m.peerClosed(2) // not the awaited source
	if w.completed() {
		t.Fatal("receive from rank 1 failed when rank 2 left")
	}
	m.peerClosed(1)
	var rf *RankFailedError
	if !w.completed() || !errors.As(w.err, &rf) || rf.Rank != 1 {
		t.Fatalf("receive from a rank that left: completed %v, err %v", w.completed(), w.err)
	}
	putWaiter(w)

	w = postedOnSlot(t, m, transport.KindP2P, AnySource, 0)
	boom := errors.New("boom")
	go func() {
		untilParked(t, m)
		m.abort(boom)
	}()
	if _, err := m.wait(context.Background(), w); err != boom {
		t.Fatalf("parked receive at abort: %v, want boom", err)
	}
	w = getWaiter(transport.KindP2P, commWorld, AnySource, 0)
	m.post(w)
	if w.slot != nil || !w.completed() || w.err != boom {
		t.Fatalf("receive after the abort: on the hand-off %v, err %v", w.slot != nil, w.err)
	}
}

// TestHandoffHugePayload: a payload of more than 4 GiB goes through the
// hand-off like any other (its length is not cut to 32 bits), so the next
// frame from its source cannot overtake it (it is not queued behind the
// posted receive it matches).
func TestHandoffHugePayload(t *testing.T) {
	if math.MaxInt < 1<<32 {
		t.Skip("a payload over 4 GiB needs 64-bit ints")
	}
	var size uint64 = 1<<32 + 1 // a variable: the constant overflows a 32-bit int
	m := newMailbox(0, 2)
	w := postedOnSlot(t, m, transport.KindP2P, 1, 5)
	huge := make([]byte, size) // pages never touched
	m.deliver(transport.Frame{Kind: transport.KindP2P, Src: 1, Comm: commWorld, Tag: 5, Payload: huge})
	m.deliver(transport.Frame{Kind: transport.KindP2P, Src: 1, Comm: commWorld, Tag: 5, Payload: []byte("second")})
	if !w.completed() || len(w.f.Payload) != len(huge) {
		t.Fatalf("the posted receive got %d bytes, want the %d sent first", len(w.f.Payload), len(huge))
	}
	putWaiter(w)
}

// TestHandoffRefuseRace: a frame of the wrong type and a receiver parking
// on the hand-off race many times; the receive always fails on the type,
// and the frame stays queued for the next receive. A refusal that lost the
// race to the parking left the receive posted with the frame queued behind
// it: it hung, or failed as if the frame had never been sent once its
// sender left.
func TestHandoffRefuseRace(t *testing.T) {
	m := newMailbox(0, 2) // no spin policy set: wait parks at once
	var spins atomic.Int64
	for i := range 5000 {
		w := getWaiter(transport.KindP2P, commWorld, 1, 3)
		w.want = codecInt
		m.post(w)
		if w.slot != m {
			t.Fatalf("round %d: the receive was not posted on the hand-off", i)
		}
		var wg sync.WaitGroup
		var started, ready atomic.Bool
		wg.Go(func() {
			started.Store(true)
			for !ready.Load() { // start together: the refusal meets the parking
			}
			m.deliver(transport.Frame{Kind: transport.KindP2P, Codec: codecString, Src: 1, Comm: commWorld, Tag: 3, Payload: []byte{byte(i)}})
		})
		for !started.Load() {
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		ready.Store(true)
		for range i % 64 { // sweep the receiver's lag over the refusal's window
			spins.Add(1)
		}
		_, err := m.wait(ctx, w)
		cancel()
		wg.Wait()
		var wt *wrongType
		if !errors.As(err, &wt) {
			t.Fatalf("round %d: receive into an int of a string: %v, want a type mismatch", i, err)
		}
		putWaiter(w)
		w = getWaiter(transport.KindP2P, commWorld, 1, 3)
		m.post(w)
		if !w.completed() || w.err != nil || len(w.f.Payload) != 1 || w.f.Payload[0] != byte(i) {
			t.Fatalf("round %d: the refused frame is not queued for the next receive", i)
		}
		putWaiter(w)
	}
}
