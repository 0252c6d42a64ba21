package natstransport

import (
	"runtime"
	"sync/atomic"
)

// A large frame is reassembled into one buffer, but every chunk arrives in
// a fresh buffer of its own (nats.go allocates one per message) that is
// garbage once copied. The Go collector lets garbage grow to the size of
// the live heap before it runs, and the frame's buffer is live: left alone,
// a frame of n bytes costs 2n of memory at its receiver before the first
// collection. So while a frame of at least collectFrameMin bytes is
// reassembled, a collection is started each time an eighth of the frame
// has arrived since the last one, and the chunks' memory is reused by the
// chunks that follow. The collection runs beside delivery, one at a time;
// the frame's buffer holds no pointers, so it is not scanned. Smaller
// frames leave the collector to its own pacing: a collection per few
// megabytes would cost more time than moving them.
const (
	collectFrameMin = 256 << 20
	collectParts    = 8
)

// collecting is set while a collection started by collectChunks runs.
var collecting atomic.Bool

// collectChunks counts n bytes of chunk garbage of a frame of size bytes
// and starts a collection when enough has gathered. Only the inbox
// callback calls it.
func (t *Transport) collectChunks(size, n int) {
	if size < collectFrameMin {
		return
	}
	t.chunkGarbage += n
	if t.chunkGarbage < size/collectParts || !collecting.CompareAndSwap(false, true) {
		return
	}
	t.chunkGarbage = 0
	go func() {
		runtime.GC()
		collecting.Store(false)
	}()
}
