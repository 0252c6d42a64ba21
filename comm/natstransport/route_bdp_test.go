package natstransport

import (
	"testing"
	"time"
)

// TestRouteBudgetFollowsBDP feeds the estimator chunks over a simulated
// link: the budget settles at natsRouteGain times rate x round trip,
// follows the link down when it slows, and stays put when fixed.
func TestRouteBudgetFollowsBDP(t *testing.T) {
	const chunk = 16 << 10
	// run keeps window bytes of chunks in flight over a link of rate
	// bytes/s and base round trip rtt for chunks grants, and returns the
	// budget it ends with.
	run := func(b *bdp, clock *routeClock, window int64, rate float64, rtt time.Duration, chunks int, now *time.Time) int64 {
		var sentAt []time.Time
		var lastAck time.Time
		perChunk := time.Duration(chunk / rate * float64(time.Second))
		for range chunks {
			for int64(len(sentAt)+1)*chunk <= max(window, chunk) {
				clock.send(chunk, *now, b.delivered)
				sentAt = append(sentAt, *now)
			}
			ack := sentAt[0].Add(rtt)
			if next := lastAck.Add(perChunk); next.After(ack) {
				ack = next
			}
			sentAt = sentAt[1:]
			*now, lastAck = ack, ack
			b.delivered += chunk
			st, ok := clock.ack(chunk)
			if !ok {
				t.Fatal("a granted chunk was not found in flight")
			}
			window = b.sampleLocked(st, *now, window)
		}
		return window
	}
	var b bdp
	var clock routeClock
	now := time.Unix(0, 0)
	w := run(&b, &clock, natsRouteWindow, 1.25e9, 200*time.Microsecond, 400, &now) // 10 Gbit/s
	if prod := int64(1.25e9 * 200e-6); w < prod || w > 2*natsRouteGain*prod {
		t.Errorf("10 Gbit/s, 200 us: budget %d, want %d to %d", w, prod, int64(2*natsRouteGain*prod))
	}
	t.Logf("10 Gbit/s: budget %d", w)
	slow := run(&b, &clock, w, 125e6, 200*time.Microsecond, 2000, &now) // the link drops to 1 Gbit/s
	t.Logf("1 Gbit/s: budget %d", slow)
	if slow >= w/2 {
		t.Errorf("link down to a tenth: budget %d, was %d", slow, w)
	}
	if slow < natsRouteWindowMin {
		t.Errorf("budget %d below the floor %d", slow, natsRouteWindowMin)
	}
	fixed := bdp{fixed: true}
	if got := run(&fixed, &routeClock{}, 1<<20, 125e6, 200*time.Microsecond, 100, &now); got != 1<<20 {
		t.Errorf("a fixed budget moved to %d", got)
	}
}
