package natstransport

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/gorun-dev/gorun/comm/transport"
)

// Close never hangs: with a large frame waiting for credit from a peer
// that never grants it (nobody reads rank 0's inbox), Close gives up
// after closeTimeout with an error naming the peer, and the Send
// returns ErrClosed.
func TestCloseBoundedWhilePeerTakesNothing(t *testing.T) {
	defer SetLimitsForTesting(16<<10, 64<<10)()
	old := closeTimeout
	closeTimeout = 300 * time.Millisecond
	defer func() { closeTimeout = old }()
	srv, err := natsbus.Start(natsbus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tr, err := Dial(ctx, srv.URL(), srv.Token(), "close", 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Start(&failRecorder{}); err != nil {
		t.Fatal(err)
	}
	sent := make(chan error, 1)
	go func() {
		sent <- tr.Send(ctx, 0, transport.Frame{Kind: transport.KindP2P, Payload: make([]byte, 1<<20)})
	}()
	// The send is under way once it holds credit it will never get back.
	p := &tr.peers[0]
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		p.mu.Lock()
		inflight := p.inflight
		p.mu.Unlock()
		if inflight > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the send took no credit within 10s")
		}
	}
	t0 := time.Now()
	closed := make(chan error, 1)
	go func() { closed <- tr.Close() }()
	select {
	case err := <-closed:
		if err == nil || !strings.Contains(err.Error(), "rank 0 did not take delivery") {
			t.Errorf("Close = %v, want an error naming rank 0", err)
		}
		t.Logf("Close after %v: %v", time.Since(t0), err)
	case <-time.After(15 * time.Second):
		t.Fatal("Close hung for 15s with a send waiting for credit")
	}
	select {
	case err := <-sent:
		if !errors.Is(err, transport.ErrClosed) {
			t.Errorf("Send = %v, want ErrClosed", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Send still waiting for credit 10s after Close")
	}
}
