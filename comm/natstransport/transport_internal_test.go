package natstransport

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/gorun-dev/gorun/comm/transport"
	"github.com/nats-io/nats.go"
)

type failRecorder struct {
	mu    sync.Mutex
	fails []string
}

func (r *failRecorder) Deliver(transport.Frame) {}
func (r *failRecorder) PeerClosed(int)          {}
func (r *failRecorder) PeerFailed(rank int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fails = append(r.fails, fmt.Sprint(rank, " ", err))
}

// Every asynchronous event of the connection fails the world loudly, once;
// nothing is reported once the transport is closing on purpose.
func TestNATSAsyncEventsFailLoudly(t *testing.T) {
	cases := []struct {
		name  string
		fire  func(o *nats.Options)
		want  string
		close bool
	}{
		{"slow consumer", func(o *nats.Options) { o.AsyncErrorCB(nil, &nats.Subscription{Subject: "inbox"}, nats.ErrSlowConsumer) }, "bus error on inbox: nats: slow consumer", false},
		{"disconnect", func(o *nats.Options) { o.DisconnectedErrCB(nil, errors.New("EOF")) }, "bus connection lost: EOF", false},
		{"closed", func(o *nats.Options) { o.ClosedCB(nil) }, "bus connection lost: closed", false},
		{"closed on purpose", func(o *nats.Options) { o.ClosedCB(nil) }, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := newTransport("job", 0, 2)
			rec := &failRecorder{}
			tr.h = rec
			o := nats.GetDefaultOptions()
			for _, opt := range tr.natsOptions("token") {
				if err := opt(&o); err != nil {
					t.Fatal(err)
				}
			}
			if tc.close {
				tr.closing.Store(true)
			}
			tc.fire(&o)
			tc.fire(&o) // a second event adds nothing
			if tc.want == "" {
				if len(rec.fails) != 0 {
					t.Fatalf("reported %q while closing", rec.fails)
				}
				return
			}
			if len(rec.fails) != 1 || !strings.HasPrefix(rec.fails[0], "-1 comm: nats: ") || !strings.Contains(rec.fails[0], tc.want) {
				t.Fatalf("reported %q, want one PeerFailed(-1, ...%s)", rec.fails, tc.want)
			}
			select {
			case <-tr.done:
			default:
				t.Fatal("senders are not released")
			}
			if !errors.Is(tr.failure(), transport.ErrAborted) {
				t.Fatalf("senders get %v, want ErrAborted", tr.failure())
			}
		})
	}
}

func TestNATSWireRoundTrip(t *testing.T) {
	f := transport.Frame{Kind: transport.KindColl, Codec: 3, Op: 4, Src: 5, Comm: 6, Tag: -7, Arg: 8, Payload: []byte("hello")}
	b := appendNATSEntry(nil, &f)
	b = appendNATSEntry(b, &transport.Frame{Kind: transport.KindP2P, Src: 5})
	if len(b)%8 != 0 {
		t.Fatalf("entries of %d bytes are not 8-byte multiples", len(b))
	}
	g, rest, err := nextNATSEntry(b)
	if err != nil || g.Kind != f.Kind || g.Codec != 3 || g.Op != 4 || g.Src != 5 || g.Comm != 6 || g.Tag != -7 || g.Arg != 8 || string(g.Payload) != "hello" {
		t.Fatalf("first entry: %+v, %v", g, err)
	}
	if g, rest, err = nextNATSEntry(rest); err != nil || len(g.Payload) != 0 || len(rest) != 0 {
		t.Fatalf("second entry: %+v, %d bytes left, %v", g, len(rest), err)
	}
	if _, _, err := nextNATSEntry(b[:36]); err == nil {
		t.Fatal("a truncated entry parsed")
	}
	typ, src, arg, err := parseNATSPrefix(controlMsg(3, natsCredit, 99))
	if err != nil || typ != natsCredit || src != 3 || arg != 99 || typ.String() != "credit" {
		t.Fatalf("control message: %v %d %d %v", typ, src, arg, err)
	}
}
