package natstransport

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/gorun-dev/gorun/comm/transport"
	"github.com/nats-io/nats.go"
)

// chanHandler passes deliveries and failures to the test.
type chanHandler struct {
	frames chan transport.Frame
	fails  chan error
}

func (h chanHandler) Deliver(f transport.Frame) { h.frames <- f }
func (h chanHandler) PeerClosed(int)            {}
func (h chanHandler) PeerFailed(_ int, err error) {
	select {
	case h.fails <- err:
	default:
	}
}

// seqPair is rank 0 and rank 1 of a job on a real server, started, and a
// raw client with the job's token.
func seqPair(t *testing.T) (t0, t1 *Transport, h1 chanHandler, raw *nats.Conn) {
	t.Helper()
	srv, err := natsbus.Start(natsbus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ts := make([]*Transport, 2)
	h1 = chanHandler{frames: make(chan transport.Frame, 16), fails: make(chan error, 1)}
	for r := range ts {
		if ts[r], err = Dial(ctx, srv.URL(), srv.Token(), "seq", r, 2); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ts[r].Close() })
		h := h1
		if r == 0 {
			h = chanHandler{frames: make(chan transport.Frame, 16), fails: make(chan error, 1)}
		}
		if err := ts[r].Start(h); err != nil {
			t.Fatal(err)
		}
	}
	if raw, err = nats.Connect(srv.URL(), nats.Token(srv.Token())); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(raw.Close)
	return ts[0], ts[1], h1, raw
}

// rawWhole is a whole frame from rank src carrying seq, as on the wire.
func rawWhole(src int, seq uint32, payload string) []byte {
	b := make([]byte, natsPrefix, natsPrefix+len(payload))
	putNATSPrefix(b, &transport.Frame{Kind: transport.KindP2P, Src: int32(src), Tag: 9}, natsWhole, 0)
	binary.LittleEndian.PutUint32(b[natsSenderAt:], uint32(src))
	binary.LittleEndian.PutUint32(b[natsSeqAt:], seq)
	return append(b, payload...)
}

func sendTo1(t *testing.T, t0 *Transport, payload string) {
	t.Helper()
	if err := t0.Send(context.Background(), 1, transport.Frame{Kind: transport.KindP2P, Src: 0, Tag: 9, Payload: []byte(payload)}); err != nil {
		t.Fatal(err)
	}
}

func wantFrame(t *testing.T, h chanHandler, payload string) {
	t.Helper()
	select {
	case f := <-h.frames:
		if string(f.Payload) != payload {
			t.Fatalf("delivered %q, want %q", f.Payload, payload)
		}
	case err := <-h.fails:
		t.Fatalf("failed instead of delivering %q: %v", payload, err)
	case <-time.After(10 * time.Second):
		t.Fatalf("%q not delivered in 10s", payload)
	}
}

func wantFailure(t *testing.T, tr *Transport, h chanHandler, want string) {
	t.Helper()
	select {
	case err := <-h.fails:
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("failure %q, want one containing %q", err, want)
		}
	case f := <-h.frames:
		t.Fatalf("delivered %q, want the failure %q", f.Payload, want)
	case <-time.After(10 * time.Second):
		t.Fatalf("no failure in 10s, want %q", want)
	}
	if err := tr.failure(); !errors.Is(err, transport.ErrAborted) || !strings.Contains(err.Error(), want) {
		t.Fatalf("senders get %v, want ErrAborted naming %q", err, want)
	}
	select {
	case f := <-h.frames:
		t.Fatalf("delivered %q after the failure", f.Payload)
	default:
	}
}

// A message lost or reordered between two ranks fails the receiver with
// an error naming the sender, the receiver and the missing number; in
// sequence, a message published by any client with the job's token is
// delivered.
func TestNATSSequenceGapsFail(t *testing.T) {
	t.Run("in order", func(t *testing.T) {
		t0, _, h1, raw := seqPair(t)
		sendTo1(t, t0, "a")
		wantFrame(t, h1, "a")
		if err := raw.Publish(jobenv.SubjectFrame("seq", 1, 0), rawWhole(0, 2, "b")); err != nil {
			t.Fatal(err)
		}
		wantFrame(t, h1, "b")
	})
	t.Run("lost", func(t *testing.T) {
		t0, t1, h1, _ := seqPair(t)
		sendTo1(t, t0, "a")
		wantFrame(t, h1, "a")
		t0.peers[1].pub.Lock()
		t0.peers[1].seq++ // message 2 is numbered and never reaches the bus
		t0.peers[1].pub.Unlock()
		sendTo1(t, t0, "c")
		wantFailure(t, t1, h1, "message 2 from rank 0 to rank 1 was lost: message 3 arrived in its place")
	})
	t.Run("reordered", func(t *testing.T) {
		_, t1, h1, raw := seqPair(t)
		for _, seq := range []uint32{2, 1} {
			if err := raw.Publish(jobenv.SubjectFrame("seq", 1, 0), rawWhole(0, seq, "x")); err != nil {
				t.Fatal(err)
			}
		}
		wantFailure(t, t1, h1, "message 1 from rank 0 to rank 1 was lost: message 2 arrived in its place")
	})
	t.Run("twice", func(t *testing.T) {
		t0, t1, h1, raw := seqPair(t)
		sendTo1(t, t0, "a")
		wantFrame(t, h1, "a")
		if err := raw.Publish(jobenv.SubjectFrame("seq", 1, 0), rawWhole(0, 1, "a")); err != nil {
			t.Fatal(err)
		}
		wantFailure(t, t1, h1, "message 1 from rank 0 to rank 1 arrived out of order or twice: expected message 2")
	})
}

// Sequence numbers wrap around at 2^32.
func TestNATSSequenceWraps(t *testing.T) {
	tr, rec := receiver(0)
	tr.rx[1].seq = math.MaxUint32 - 1
	for _, seq := range []uint32{math.MaxUint32, 0, 1, 3} {
		m := natsMsg(1, natsWhole, 0, []byte("x"))
		binary.LittleEndian.PutUint32(m.Data[natsSenderAt:], 1)
		binary.LittleEndian.PutUint32(m.Data[natsSeqAt:], seq)
		tr.onMsg(m)
	}
	if len(rec.frames) != 3 || len(rec.fails) != 1 || !strings.Contains(rec.fails[0], "message 2 from rank 1 to rank 0 was lost: message 3 arrived") {
		t.Fatalf("delivered %d frames, failures %q; want 3 and the loss of message 2", len(rec.frames), rec.fails)
	}
}
