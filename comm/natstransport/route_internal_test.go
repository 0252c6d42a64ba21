package natstransport

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/gorun-dev/gorun/comm/transport"
)

// collector records the frames a rank receives.
type collector struct {
	mu     sync.Mutex
	frames []transport.Frame
	fail   error
}

func (c *collector) Deliver(f transport.Frame) {
	c.mu.Lock()
	c.frames = append(c.frames, f)
	c.mu.Unlock()
}
func (c *collector) PeerClosed(int) {}
func (c *collector) PeerFailed(rank int, err error) {
	c.mu.Lock()
	c.fail = err
	c.mu.Unlock()
}

func (c *collector) count() (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.frames), c.fail
}

// TestRouteBudgetBoundsBulk: once the transport knows that ranks 1 and 2
// run on another node, a large frame to rank 1 goes out under the route's
// budget (never more than the budget in flight on the route, sampled all
// along) and arrives intact, while small frames to rank 2 on the same
// route go out beside it.
func TestRouteBudgetBoundsBulk(t *testing.T) {
	const window = 128 << 10
	old := natsRouteWindowOverride
	natsRouteWindowOverride = window
	defer func() { natsRouteWindowOverride = old }()
	srv, err := natsbus.Start(natsbus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var ts [3]*Transport
	var cs [3]collector
	for r := range ts {
		if ts[r], err = Dial(ctx, srv.URL(), srv.Token(), "route", r, 3); err != nil {
			t.Fatal(err)
		}
		defer ts[r].Close()
		if err := ts[r].Start(&cs[r]); err != nil {
			t.Fatal(err)
		}
	}
	for _, tr := range ts {
		tr.SetNodes([]int{0, 1, 1})
	}
	route := ts[0].route(1)
	if r2 := ts[0].route(2); route == nil || r2 != route || route.budget() != window {
		t.Fatalf("ranks 1 and 2 should share one route of %d bytes: %p %p", window, route, r2)
	}
	if r := ts[1].route(2); r != nil {
		t.Fatal("ranks 1 and 2 share a node but have a route")
	}

	big := bytes.Repeat([]byte("0123456789abcdef"), 4<<20/16)
	stop := make(chan struct{})
	var peak int64
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		for {
			route.mu.Lock()
			peak = max(peak, route.inflight)
			route.mu.Unlock()
			select {
			case <-stop:
				return
			default:
			}
		}
	}()
	errc := make(chan error, 1)
	go func() {
		errc <- ts[0].Send(ctx, 1, transport.Frame{Kind: transport.KindP2P, Src: 0, Tag: 1, Payload: big})
	}()
	const small = 200
	for i := range small {
		if err := ts[0].Send(ctx, 2, transport.Frame{Kind: transport.KindP2P, Src: 0, Tag: int64(i), Payload: []byte("ping")}); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; {
		n1, err1 := cs[1].count()
		n2, err2 := cs[2].count()
		if err1 != nil || err2 != nil {
			t.Fatalf("receivers failed: %v, %v", err1, err2)
		}
		if n1 == 1 && n2 == small {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("rank 1 has %d of 1 frames, rank 2 %d of %d", n1, n2, small)
		}
		time.Sleep(time.Millisecond)
	}
	close(stop)
	sampler.Wait()
	if !bytes.Equal(cs[1].frames[0].Payload, big) {
		t.Error("the large frame arrived altered")
	}
	for i, f := range cs[2].frames {
		if f.Tag != int64(i) || string(f.Payload) != "ping" {
			t.Fatalf("small frame %d: tag %d %q", i, f.Tag, f.Payload)
		}
	}
	if peak > window {
		t.Errorf("%d bytes in flight on the route, past its budget of %d", peak, window)
	}
	if peak == 0 {
		t.Error("the large frame never went through the route's budget")
	}
	route.mu.Lock()
	samples, budget := route.bdp.samples, route.window
	route.mu.Unlock()
	if samples < 8 {
		t.Errorf("%d round trips measured over a frame of 4 MiB in chunks of at most %d", samples, natsRouteChunk)
	}
	if budget != window {
		t.Errorf("a fixed budget moved to %d", budget)
	}
}
