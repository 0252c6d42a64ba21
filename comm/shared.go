package comm

import (
	"context"
	"fmt"
	"sync"
)

type sharedEntry struct {
	once sync.Once
	val  any
	err  error
}

// Shared returns the value stored under key, calling load once per OS
// process to make it. In a goroutine world every rank gets the same
// instance, which must be treated as read-only; in a process world each
// rank loads its own. This is the shared-memory side of the contrast:
// one copy of an index instead of one per rank.
//
// Shared is not a collective: ranks may call it in any order. If load
// fails every caller gets its error.
func Shared[T any](ctx context.Context, c *Comm, key string, load func() (T, error)) (T, error) {
	var zero T
	c.proc.mu.Lock()
	e := c.proc.values[key]
	if e == nil {
		e = &sharedEntry{}
		c.proc.values[key] = e
	}
	c.proc.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	e.once.Do(func() { e.val, e.err = load() })
	if e.err != nil {
		return zero, e.err
	}
	v, ok := e.val.(T)
	if !ok {
		return zero, fmt.Errorf("comm: Shared(%q): stored %T, asked for %T", key, e.val, zero)
	}
	return v, nil
}
