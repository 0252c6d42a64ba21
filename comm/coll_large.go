package comm

import "context"

// largeThreshold is the size from which Allreduce of a numeric slice with
// Sum, Prod, Min or Max leaves recursive doubling (latency-optimal): for the
// shared-memory reduction in a goroutine world, else for the ring
// (bandwidth-optimal) from three ranks, as Open MPI's tuned defaults do.
const largeThreshold = 64 << 10

// largeAllreduce runs the algorithm for a large numeric slice when one
// applies to *ptr and op; ok reports whether it did. ptr is a pointer so
// that the caller's value is not boxed.
func largeAllreduce(ctx context.Context, k *coll, ptr any, op Op) (out any, ok bool, err error) {
	if !builtinElementwise(op) || !k.c.shared && k.c.size < 3 || k.c.size < 2 {
		return nil, false, nil
	}
	switch x := ptr.(type) {
	case *[]float64:
		return largeIf(ctx, k, *x, op)
	case *[]float32:
		return largeIf(ctx, k, *x, op)
	case *[]int64:
		return largeIf(ctx, k, *x, op)
	case *[]int32:
		return largeIf(ctx, k, *x, op)
	case *[]int:
		return largeIf(ctx, k, *x, op)
	case *[]uint64:
		return largeIf(ctx, k, *x, op)
	case *[]uint32:
		return largeIf(ctx, k, *x, op)
	}
	return nil, false, nil
}

func largeIf[E number](ctx context.Context, k *coll, v []E, op Op) (any, bool, error) {
	var e E
	if len(v)*sizeOf(e) < largeThreshold {
		return nil, false, nil
	}
	if !k.c.shared {
		out, err := ring(ctx, k, v, op)
		return out, true, err
	}
	out := make([]E, len(v))
	if err := sharedReduce(ctx, k, v, out, op); err != nil {
		return nil, true, err
	}
	return out, true, nil
}
