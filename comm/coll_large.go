package comm

import "context"

// largeThreshold is the size from which Allreduce of a numeric slice with
// Sum, Prod, Min or Max leaves recursive doubling (latency-optimal): for the
// shared-memory reduction in a goroutine world, else for the ring
// (bandwidth-optimal) from three ranks, as Open MPI's tuned defaults do.
const largeThreshold = 64 << 10

// numericAllreduce runs Allreduce of *ptr by an algorithm for numbers with
// a built-in elementwise op, when one applies: the shared-memory reduction
// in a goroutine world or the ring for a large slice. ok reports whether
// it did; otherwise the caller runs recursive doubling. ptr is a pointer
// so that the caller's value is not boxed.
func numericAllreduce(ctx context.Context, c *Comm, ptr any, op Op) (out any, ok bool, err error) {
	if !builtinElementwise(op) || c.size < 2 {
		return nil, false, nil
	}
	switch x := ptr.(type) {
	case *[]float64:
		return numericSlice(ctx, c, *x, op)
	case *[]float32:
		return numericSlice(ctx, c, *x, op)
	case *[]int64:
		return numericSlice(ctx, c, *x, op)
	case *[]int32:
		return numericSlice(ctx, c, *x, op)
	case *[]int:
		return numericSlice(ctx, c, *x, op)
	case *[]uint64:
		return numericSlice(ctx, c, *x, op)
	case *[]uint32:
		return numericSlice(ctx, c, *x, op)
	}
	return nil, false, nil
}

// numericSlice is numericAllreduce of a slice: from largeThreshold by
// shared memory in a goroutine world or by the ring from three ranks.
func numericSlice[E number](ctx context.Context, c *Comm, v []E, op Op) (any, bool, error) {
	var e E
	size := len(v) * sizeOf(e)
	switch {
	case size < largeThreshold || !c.sharedColls() && c.size < 3:
		return nil, false, nil
	}
	k, err := c.beginAllreduce(op, countIdent(len(v)))
	if err != nil {
		return nil, true, err
	}
	if !c.sharedColls() {
		out, err := ring(ctx, &k, v, op)
		return out, true, k.fail(err)
	}
	out := make([]E, len(v))
	return out, true, k.fail(sharedReduce(ctx, &k, v, out, op))
}
