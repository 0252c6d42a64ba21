package comm

import (
	"runtime"
	"sync/atomic"
)

// spinMutex is the mailbox lock: a test-and-set lock that yields the
// processor while it waits instead of parking. Its critical sections are a
// few dozen instructions, and a sender and a receiver often reach the same
// mailbox at once; sync.Mutex then parks the loser on a semaphore, whose
// wake-up costs more than the whole critical section.
type spinMutex struct{ state atomic.Int32 }

func (m *spinMutex) Lock() {
	for i := 0; !m.state.CompareAndSwap(0, 1); i++ {
		if i >= 64 {
			runtime.Gosched()
		}
	}
}

func (m *spinMutex) Unlock() { m.state.Store(0) }
