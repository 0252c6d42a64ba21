package comm

import (
	"runtime"
	"sync/atomic"
)

// spinPolicy says how a receive polls for its frame before it parks. A
// parked goroutine costs two scheduler hand-offs to wake (a few hundred
// nanoseconds to microseconds), while between goroutine ranks a reply often
// lands well within a microsecond, so on transports that deliver directly a
// receive polls first. Over a network transport polling would only take the
// CPU from the goroutines that deliver, so it parks at once.
//
// The hot phase (polling without yielding) adapts: it doubles after a wait
// that it satisfied and halves after one it did not, so that when the
// machine is busier than the world (other processes, or more ranks than
// cores) a rank soon stops holding a core its peer needs.
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
func (s *spinPolicy) set(t Transport, size int) {
	if _, ok := t.(directDelivery); !ok {
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
			s.adapt(i < hot, hot)
			return true
		}
		if i >= hot {
			runtime.Gosched()
		}
	}
	s.adapt(false, hot)
	return w.completed()
}

func (s *spinPolicy) adapt(hotWon bool, hot int) {
	switch {
	case s.maxHot == 0:
	case hotWon && hot < s.maxHot:
		s.hot.Store(int32(min(2*hot, s.maxHot)))
	case !hotWon && hot > minHotPolls:
		s.hot.Store(int32(max(hot/2, minHotPolls)))
	}
}
