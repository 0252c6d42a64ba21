package comm

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
)

// RankFunc is the body of an SPMD program: it runs once on every rank.
type RankFunc func(ctx context.Context, c *Comm) error

// Run starts a goroutine world of n ranks and runs fn on each. It returns
// when every rank has returned. The first rank to fail (an error or a
// panic) aborts the world: the other ranks' blocked calls return errors
// wrapping ErrAborted and their ctx is cancelled. Run returns that first
// error, wrapped as "comm: rank R: ...". The options are NewWorld's.
func Run(ctx context.Context, n int, fn RankFunc, opts ...WorldOption) error {
	comms, err := NewWorld(n, opts...)
	if err != nil {
		return err
	}
	return RunWorld(ctx, comms, fn)
}

// RunWorld runs fn on every Comm of an already-connected world, each in its
// own goroutine, with Run's failure semantics; it closes each Comm when its
// rank returns.
func RunWorld(ctx context.Context, comms []*Comm, fn RankFunc) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for _, c := range comms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := callRank(ctx, c, fn)
			if err == nil {
				c.Close()
				return
			}
			once.Do(func() {
				first = &rankError{rank: c.rank, err: err}
				// Abort before cancelling, so blocked calls report the
				// failed rank rather than a bare context error.
				for _, o := range comms {
					if o != c {
						o.mb.abort(&RankFailedError{Rank: c.rank, Reason: err.Error(), Err: err})
					}
				}
				cancel(first)
			})
			c.leaveFailed(err)
			// Record why this rank stopped, for peers whose sends it
			// refuses from now on (Close keeps the first cause).
			c.mb.abort(err)
			c.Close()
		}()
	}
	wg.Wait()
	return first
}

// rankError is RunWorld's error: the first rank that failed, and why.
type rankError struct {
	rank int
	err  error
}

func (e *rankError) Error() string { return fmt.Sprintf("comm: rank %d: %v", e.rank, e.err) }
func (e *rankError) Unwrap() error { return e.err }

// callRank runs fn, turning a panic into an error with its stack.
func callRank(ctx context.Context, c *Comm, fn RankFunc) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Rank: c.rank, Value: p, Stack: debug.Stack()}
		}
	}()
	return fn(ctx, c)
}

// PanicError is a rank's recovered panic.
type PanicError struct {
	Rank  int
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v\n\n%s", e.Value, e.Stack) }
