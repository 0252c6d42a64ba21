package natstransport

import (
	"context"
	"sync"
	"sync/atomic"

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
// budget's worth of bulk on its route. A route's budget is about its
// bandwidth-delay product: enough to keep a link of a few Gbit/s busy at
// the round trip of a credit.
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

// SetRouteWindow sets the budget of every route to w bytes from the next
// SetNodes on; w < 0 turns flow control by route off (every destination
// has its window only), 0 restores the default.
func (t *Transport) SetRouteWindow(w int64) { t.routeWindow.Store(w) }

// placement is where the ranks run, as the transport uses it.
type placement struct {
	routeOf []int32     // route of each destination rank; -1: this node
	routes  []natsRoute // one per other node
	window  int64
}

// natsRoute is the budget of bulk bytes in flight on one route.
type natsRoute struct {
	mu       sync.Mutex
	inflight int64
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
	pl := &placement{routeOf: make([]int32, t.size), window: natsRouteWindow}
	if w := t.routeWindow.Load(); w > 0 {
		pl.window = w
	}
	if natsRouteWindowOverride > 0 {
		pl.window = natsRouteWindowOverride
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
	}
	t.place.Store(pl)
}

// route returns the budget of the route to dst, or nil when dst is on
// this node or the placement is unknown.
func (t *Transport) route(dst int) (*natsRoute, int64) {
	pl := t.place.Load()
	if pl == nil || pl.routeOf[dst] < 0 {
		return nil, 0
	}
	return &pl.routes[pl.routeOf[dst]], pl.window
}

// acquire waits until n more bytes fit the budget (or nothing is in
// flight), then takes them.
func (r *natsRoute) acquire(ctx context.Context, n, window int64, done <-chan struct{}, doneErr func() error, failed func() error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.inflight > 0 && r.inflight+n > window {
		if err := failed(); err != nil {
			return err
		}
		ch := r.changed
		r.mu.Unlock()
		var err error
		select {
		case <-ch:
		case <-ctx.Done():
			err = context.Cause(ctx)
		case <-done:
			err = doneErr()
		}
		r.mu.Lock()
		if err != nil {
			return err
		}
	}
	r.inflight += n
	return nil
}

// release gives n bytes back to the budget.
func (r *natsRoute) release(n int64) {
	if n <= 0 {
		return
	}
	r.mu.Lock()
	r.inflight = max(r.inflight-n, 0)
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
}

// routed counts, per destination, bytes sent under a route budget and not
// yet granted back; grants release them from the route.
type routed struct{ bytes atomic.Int64 }

// releaseRouted returns to dst's route what a grant of n bytes from dst
// covers of the bytes sent to it under the route budget.
func (t *Transport) releaseRouted(dst int, n int64) {
	r, _ := t.route(dst)
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
			r.release(rel)
			return
		}
	}
}

// sendRouted sends f, larger than a small frame, to dst on another node:
// in chunks of natsRouteChunk, each under the route's budget and dst's
// window, marked for prompt grants, after every frame batched before it.
func (t *Transport) sendRouted(ctx context.Context, dst int, f *transport.Frame, r *natsRoute, window int64) error {
	p := &t.peers[dst]
	p.large.Lock()
	defer p.large.Unlock()
	failed := func() error {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.failed
	}
	n := len(f.Payload)
	// A chunk is a quarter of the budget at most: a small message then
	// waits behind little more than the budget's worth on the link.
	chunk := min(natsRouteChunk, t.chunkData, max(int(window/4), natsRouteChunkMin))
	for off := 0; off < n; {
		k := min(chunk, n-off)
		size := int64(natsPrefix + k)
		typ, arg := natsMore, uint64(0)
		switch {
		case k == n:
			typ = natsWhole
		case off == 0:
			typ, arg = natsFirst, uint64(n)
		}
		err := r.acquire(ctx, size, window, t.done, t.failure, failed)
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
				r.release(size)
			}
		}
		if err == nil {
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
