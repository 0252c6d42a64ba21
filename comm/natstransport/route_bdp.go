package natstransport

import (
	"sync"
	"time"
)

// Sizing a route's budget by its bandwidth-delay product.
//
// Unless the budget is set (SetRouteWindow), each route measures what
// its bulk chunks see: the round trip from a chunk's publish to the
// grant that covers it, and the rate at which the route's bytes are
// granted back over that round trip (bytes granted meanwhile / round
// trip, as TCP BBR measures delivery rate). The budget is
// natsRouteGain times the product of the highest recent rate and the
// lowest round trip seen: enough to keep the link busy, while what
// queues in front of a small message on the route stays about a
// (natsRouteGain-1) fraction of one round trip. The rate forgets slowly
// (1/natsRouteForget per sample), so the budget follows a link that slows
// down; the round trip does not, as a round trip measured with a queue
// in it would let the budget feed its own growth.
const (
	natsRouteGain      = 2
	natsRouteForget    = 64
	natsRouteWindowMin = 32 << 10
	natsRouteWindowMax = 8 << 20
)

// routeStamp is a chunk in flight to one destination under a route's
// budget.
type routeStamp struct {
	end       int64     // the destination's sent count once the chunk was sent
	at        time.Time // when it was published
	delivered int64     // the route's delivered count then
}

// routeClock records the chunks in flight to one destination, in order
// (the destination's large frames go out one at a time and its grants
// come back in order).
type routeClock struct {
	mu          sync.Mutex
	stamps      []routeStamp
	sent, acked int64
}

// sent records a chunk of size bytes published at now.
func (c *routeClock) send(size int64, now time.Time, delivered int64) {
	c.mu.Lock()
	c.sent += size
	c.stamps = append(c.stamps, routeStamp{end: c.sent, at: now, delivered: delivered})
	c.mu.Unlock()
}

// ack counts n bytes granted back and returns the newest chunk they
// complete, if any.
func (c *routeClock) ack(n int64) (routeStamp, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.acked = min(c.acked+n, c.sent)
	var last routeStamp
	i := 0
	for i < len(c.stamps) && c.stamps[i].end <= c.acked {
		last = c.stamps[i]
		i++
	}
	if i == 0 {
		return last, false
	}
	c.stamps = append(c.stamps[:0], c.stamps[i:]...)
	return last, true
}

// bdp is a route's estimate of its bandwidth-delay product. Its fields
// are guarded by the route's mu.
type bdp struct {
	fixed     bool          // the budget was set: do not measure
	delivered int64         // bytes granted back on the route so far
	rtt       time.Duration // lowest recent round trip of a chunk
	rate      float64       // highest recent delivery rate, bytes per second
	samples   int           // round trips measured
}

// sampleLocked folds in the round trip of the chunk st, completed at
// now, and returns the route's new budget (window when fixed or not yet
// measured).
func (b *bdp) sampleLocked(st routeStamp, now time.Time, window int64) int64 {
	rtt := now.Sub(st.at)
	b.samples++
	if b.fixed || rtt <= 0 {
		return window
	}
	rate := float64(b.delivered-st.delivered) / rtt.Seconds()
	if b.rtt == 0 || rtt < b.rtt {
		b.rtt = rtt
	}
	if rate > b.rate {
		b.rate = rate
	} else {
		b.rate -= b.rate / natsRouteForget
	}
	w := int64(natsRouteGain * b.rate * b.rtt.Seconds())
	return min(max(w, natsRouteWindowMin), natsRouteWindowMax)
}
