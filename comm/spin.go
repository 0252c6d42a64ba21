package comm

import (
	"runtime"
	"sync/atomic"

	"github.com/gorun-dev/gorun/comm/transport"
)

// spinPolicy says how a receive polls for its frame before it parks. A
// parked goroutine costs two scheduler hand-offs to wake (a few hundred
// nanoseconds to microseconds), while between goroutine ranks a reply often
// lands well within a microsecond, so on transports that deliver directly a
// receive polls first. Over a network transport polling would only take the
// CPU from the goroutines that deliver, so it parks at once.
//
// The hot phase (polling without yielding) adapts: it doubles after a wait
// that ended in the yielding phase (it was a little short) and halves after
// one that outlasted both phases and parks, so that when the machine is
// busier than the world (other processes, or more ranks than cores) a rank
// soon stops holding a core its peer needs.
type spinPolicy struct {
	maxHot int          // 0: never poll without yielding
	yield  int          // polls with runtime.Gosched between, letting runnable ranks go first
	hot    atomic.Int32 // current hot-phase polls, between minHot and maxHot
}

// Poll counts, tuned with BenchmarkPingPong and BenchmarkAllreduce on two
// cores: maxHotPolls is a few microseconds of polling.
const (
	maxHotPolls = 2048
	minHotPolls = 16
	yieldPolls  = 64
)

// set chooses the policy of a rank in a world of size ranks over t.
func (s *spinPolicy) set(t transport.Transport, size int) {
	if _, ok := t.(transport.DirectDelivery); !ok {
		return
	}
	s.yield = yieldPolls
	if size <= runtime.GOMAXPROCS(0) {
		s.maxHot = maxHotPolls
		s.hot.Store(maxHotPolls)
	}
}

// polls reports whether the policy polls at all.
func (s *spinPolicy) polls() bool { return s.yield > 0 }

// poll reports whether w completed while polling.
func (s *spinPolicy) poll(w *waiter) bool {
	hot := int(s.hot.Load())
	for i := range hot + s.yield {
		if w.completed() {
			if i >= hot { // a short wait that outlasted the hot phase
				s.adapt(hot, 2*hot)
			}
			return true
		}
		if i >= hot {
			runtime.Gosched()
		}
	}
	s.adapt(hot, hot/2) // a long wait: the peer is busy, or has no processor
	return w.completed()
}

// adapt moves the hot-phase length from hot to next, within its bounds.
func (s *spinPolicy) adapt(hot, next int) {
	if s.maxHot > 0 && next != hot {
		s.hot.Store(int32(min(max(next, minHotPolls), s.maxHot)))
	}
}
