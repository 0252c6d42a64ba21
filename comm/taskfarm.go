package comm

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// Task-farm message tags, in the Map communicator context. Each Map call
// has its own pair, so a fast rank that has moved on to the next Map cannot
// be mistaken for a worker of the previous one.
//   - ask (2*call): worker -> rank 0: results of its last chunk (none at
//     first), ready for more;
//   - chunk (2*call+1): rank 0 -> worker: []int{lo, hi}, or {} when done.
func farmTags(call int64) (ask, chunk int) { return int(2 * call), int(2*call + 1) }

// Map is a dynamic task farm, like Python's Pool.map with a chunksize: the
// index range [0, n) is cut into chunks of `chunk` indices, and rank 0
// hands the next chunk to whichever rank asks first, so fast ranks take
// more work. fn computes the results of indices [lo, hi). Every rank,
// rank 0 included, works; rank 0 also dispatches from a second goroutine.
//
// Map is collective: every rank must call it with the same n and chunk.
// Rank 0 returns all results in index order; other ranks return nil. A
// chunk <= 0 picks about four chunks per rank.
func Map[R any](ctx context.Context, c *Comm, n, chunk int, fn func(lo, hi int) ([]R, error)) ([]R, error) {
	if n < 0 {
		return nil, fmt.Errorf("comm: Map: n = %d", n)
	}
	if chunk <= 0 {
		chunk = max(1, n/(4*c.size))
	}
	ask, give := farmTags(c.mapCalls)
	c.mapCalls++
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type outcome struct {
		res [][]R
		err error
	}
	var dispatched chan outcome
	if c.rank == 0 {
		dispatched = make(chan outcome, 1)
		go func() {
			res, err := dispatch[R](ctx, c, n, chunk, ask, give)
			if err != nil {
				cancel() // rank 0's own worker must not wait for a chunk that never comes
			}
			dispatched <- outcome{res, err}
		}()
	}
	if err := work(ctx, c, fn, ask, give); err != nil {
		if c.rank == 0 {
			cancel() // the dispatcher would wait for this worker's next ask forever
			if o := <-dispatched; o.err != nil && !errors.Is(o.err, context.Canceled) {
				return nil, o.err
			}
		}
		return nil, err
	}
	if c.rank != 0 {
		return nil, nil
	}
	o := <-dispatched
	if o.err != nil {
		return nil, o.err
	}
	return slices.Concat(o.res...), nil
}

// work asks rank 0 for chunks until told there are none left.
func work[R any](ctx context.Context, c *Comm, fn func(lo, hi int) ([]R, error), ask, give int) error {
	if err := c.sendIn(ctx, c.cid+commMap, 0, ask, []R{}); err != nil {
		return err
	}
	for {
		var span []int
		if _, err := c.irecvIn(c.cid+commMap, 0, give, &span).Wait(ctx); err != nil {
			return fmt.Errorf("comm: Map: %w", err)
		}
		if len(span) == 0 {
			return nil
		}
		res, err := fn(span[0], span[1])
		if err != nil {
			return err
		}
		if err := c.sendIn(ctx, c.cid+commMap, 0, ask, res); err != nil {
			return err
		}
	}
}

// dispatch runs on rank 0: it answers every request with the next chunk
// and files the results by chunk number.
func dispatch[R any](ctx context.Context, c *Comm, n, chunk, ask, give int) ([][]R, error) {
	nchunks := (n + chunk - 1) / chunk
	results := make([][]R, nchunks)
	assigned := make([]int, c.size)
	for i := range assigned {
		assigned[i] = -1
	}
	next, active := 0, c.size
	for active > 0 {
		var res []R
		st, err := c.irecvIn(c.cid+commMap, AnySource, ask, &res).Wait(ctx)
		if err != nil {
			return nil, fmt.Errorf("comm: Map: %w", err)
		}
		if a := assigned[st.Source]; a >= 0 {
			results[a] = res
		}
		span := []int{}
		if next < nchunks {
			span = []int{next * chunk, min((next+1)*chunk, n)}
			assigned[st.Source] = next
			next++
		} else {
			active--
		}
		if err := c.sendIn(ctx, c.cid+commMap, st.Source, give, span); err != nil {
			return nil, err
		}
	}
	return results, nil
}
