package natstransport

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorun-dev/gorun/comm/transport"
)

// Flow control on routes between hosts.
//
// The credit window per destination (flow.go) is sized for a loopback
// bus: on a route to another host it lets tens of MiB of bulk data queue
// in the route and the link ahead of every small message that follows
// on that route (on a 1 Gbit/s link 32 MiB is a quarter of a second).
// Once the transport knows where the ranks run (SetNodes), frames larger
// than a small frame towards a rank on another node go out in chunks of
// natsRouteChunk under a budget of natsRouteWindow bytes per route, shared
// by every destination on that node; the receiver grants those chunks
// back at once (they are marked natsPrompt) instead of in window/4 steps.
// Small frames are outside the budget, so one waits behind at most a
// budget's worth of bulk on its route. A route's budget starts at
// natsRouteWindow and then follows the route's measured bandwidth-delay
// product (route_bdp.go), unless SetRouteWindow fixes it.
const (
	natsRouteWindow   = 128 << 10
	natsRouteChunk    = 64 << 10
	natsRouteChunkMin = 8 << 10
)

// natsPrompt, or'ed into a message type, asks the receiver to grant its
// credit back at once.
const natsPrompt natsMsgType = 0x80

// natsRouteWindowOverride replaces natsRouteWindow when > 0 (for tests).
var natsRouteWindowOverride int64

// SetRouteWindow fixes the budget of every route at w bytes from the next
// SetNodes on; w < 0 turns flow control by route off (every destination
// has its window only), 0 restores the default (measured per route).
func (t *Transport) SetRouteWindow(w int64) { t.routeWindow.Store(w) }

// placement is where the ranks run, as the transport uses it.
type placement struct {
	routeOf []int32     // route of each destination rank; -1: this node
	routes  []natsRoute // one per other node
}

// natsRoute is the budget of bulk bytes in flight on one route.
type natsRoute struct {
	mu       sync.Mutex
	inflight int64
	window   int64 // the budget
	bdp      bdp
	changed  chan struct{}
}

var _ transport.Placed = (*Transport)(nil)

// SetNodes tells the transport the node of every rank (len(nodes) ==
// size), so that it sizes flow control by route. Frames sent before it
// or concurrently with it keep the per-destination window only.
func (t *Transport) SetNodes(nodes []int) {
	if len(nodes) != t.size || t.routeWindow.Load() < 0 {
		return
	}
	index := map[int]int32{}
	pl := &placement{routeOf: make([]int32, t.size)}
	window, fixed := int64(natsRouteWindow), false
	if w := t.routeWindow.Load(); w > 0 {
		window, fixed = w, true
	}
	if natsRouteWindowOverride > 0 {
		window, fixed = natsRouteWindowOverride, true
	}
	for r, n := range nodes {
		if n == nodes[t.rank] {
			pl.routeOf[r] = -1
			continue
		}
		i, ok := index[n]
		if !ok {
			i = int32(len(index))
			index[n] = i
		}
		pl.routeOf[r] = i
	}
	pl.routes = make([]natsRoute, len(index))
	for i := range pl.routes {
		pl.routes[i].changed = make(chan struct{})
		pl.routes[i].window = window
		pl.routes[i].bdp.fixed = fixed
	}
	t.place.Store(pl)
}

// route returns the budget of the route to dst, or nil when dst is on
// this node or the placement is unknown.
func (t *Transport) route(dst int) *natsRoute {
	pl := t.place.Load()
	if pl == nil || pl.routeOf[dst] < 0 {
		return nil
	}
	return &pl.routes[pl.routeOf[dst]]
}

// budget is the route's budget now.
func (r *natsRoute) budget() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.window
}

// acquire waits until n more bytes fit the budget (or nothing is in
// flight), then takes them, and returns the route's delivered count.
func (r *natsRoute) acquire(ctx context.Context, n int64, done <-chan struct{}, doneErr func() error, failed func() error) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.inflight > 0 && r.inflight+n > r.window {
		if err := failed(); err != nil {
			return 0, err
		}
		if err := waitChange(ctx, &r.mu, r.changed, done, doneErr); err != nil {
			return 0, err
		}
	}
	r.inflight += n
	return r.bdp.delivered, nil
}

// release gives n bytes back to the budget; st, when ok, is the chunk
// they complete, whose round trip is a sample for the budget.
func (r *natsRoute) release(n int64, st routeStamp, ok bool) {
	if n <= 0 {
		return
	}
	r.mu.Lock()
	r.inflight = max(r.inflight-n, 0)
	r.bdp.delivered += n
	if ok {
		r.window = r.bdp.sampleLocked(st, time.Now(), r.window)
	}
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
}

// routed counts, per destination, bytes sent under a route budget and not
// yet granted back; grants release them from the route.
type routed struct {
	bytes atomic.Int64
	clock routeClock
}

// releaseRouted returns to dst's route what a grant of n bytes from dst
// covers of the bytes sent to it under the route budget.
func (t *Transport) releaseRouted(dst int, n int64) {
	r := t.route(dst)
	if r == nil {
		return
	}
	p := &t.peers[dst].routed.bytes
	for {
		cur := p.Load()
		rel := min(cur, n)
		if rel <= 0 {
			return
		}
		if p.CompareAndSwap(cur, cur-rel) {
			st, ok := t.peers[dst].routed.clock.ack(rel)
			r.release(rel, st, ok)
			return
		}
	}
}

// sendRouted sends f, larger than a small frame, to dst on another node:
// in chunks of natsRouteChunk, each under the route's budget and dst's
// window, marked for prompt grants, after every frame batched before it.
func (t *Transport) sendRouted(ctx context.Context, dst int, f *transport.Frame, r *natsRoute) error {
	p := &t.peers[dst]
	p.large.Lock()
	defer p.large.Unlock()
	failed := func() error {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.failed
	}
	n := len(f.Payload)
	for off := 0; off < n; {
		// A chunk is a quarter of the budget at most: a small message then
		// waits behind little more than the budget's worth on the link.
		chunk := min(natsRouteChunk, t.chunkData, max(int(r.budget()/4), natsRouteChunkMin))
		k := min(chunk, n-off)
		size := int64(natsPrefix + k)
		typ, arg := natsMore, uint64(0)
		switch {
		case k == n:
			typ = natsWhole
		case off == 0:
			typ, arg = natsFirst, uint64(n)
		}
		delivered, err := r.acquire(ctx, size, t.done, t.failure, failed)
		if err == nil {
			p.mu.Lock()
			if off == 0 {
				err = t.drained(ctx, p)
			}
			if err == nil {
				err = p.acquireLocked(ctx, t.cost(int(size)), t.window, t.done, t.failure)
			}
			p.mu.Unlock()
			if err != nil {
				r.release(size, routeStamp{}, false)
			}
		}
		if err == nil {
			p.routed.clock.send(size, time.Now(), delivered)
			p.routed.bytes.Add(size)
			if err = t.publish(dst, f, typ|natsPrompt, arg, f.Payload[off:off+k]); err != nil {
				t.releaseRouted(dst, size)
			}
		}
		if err != nil {
			if off > 0 {
				_ = t.nc.Publish(t.inbox[dst], controlMsg(t.rank, natsAbandon, 0))
			}
			return err
		}
		off += k
	}
	return nil
}
