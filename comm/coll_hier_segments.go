package comm

import (
	"context"
	"slices"
)

// Staged Allreduce of a large numeric slice by segments, for nodes that
// hold equally many ranks (L each): the vector is cut into L segments;
// within each node local rank j folds segment j of every rank of its node
// (a reduce-scatter, one step), the ranks of local index j on every node
// run the ring among themselves on segment j (L rings side by side, each
// on 1/L of the vector), and each node gathers its segments back (an
// allgather, one step). Every rank of a node then works and sends, where
// the leaders-only form has one rank per node carry the whole vector
// twice within the node and around the leaders' ring.

// segmentedSlice runs the staged Allreduce by segments on *ptr when it is
// a numeric slice of at least largeThreshold bytes and h has the peers
// communicators; ok reports whether it did.
func segmentedSlice(ctx context.Context, k *coll, h *hierarchy, ptr any, op Op) (out any, ok bool, err error) {
	if h.peers == nil || !builtinElementwise(op) {
		return nil, false, nil
	}
	switch x := ptr.(type) {
	case *[]float64:
		return segmentedIfLarge(ctx, k, h, *x, op)
	case *[]float32:
		return segmentedIfLarge(ctx, k, h, *x, op)
	case *[]int64:
		return segmentedIfLarge(ctx, k, h, *x, op)
	case *[]int32:
		return segmentedIfLarge(ctx, k, h, *x, op)
	case *[]int:
		return segmentedIfLarge(ctx, k, h, *x, op)
	case *[]uint64:
		return segmentedIfLarge(ctx, k, h, *x, op)
	case *[]uint32:
		return segmentedIfLarge(ctx, k, h, *x, op)
	}
	return nil, false, nil
}

func segmentedIfLarge[E number](ctx context.Context, k *coll, h *hierarchy, v []E, op Op) (any, bool, error) {
	var e E
	if len(v)*sizeOf(e) < largeThreshold {
		return nil, false, nil
	}
	out, err := segmentedAllreduce(ctx, k, h, v, op)
	return out, true, err
}

// segmentedAllreduce is the staged Allreduce by segments of v.
func segmentedAllreduce[E number](ctx context.Context, k *coll, h *hierarchy, v []E, op Op) ([]E, error) {
	n, j := h.local.size, h.local.rank
	acc := slices.Clone(v)
	counts := EvenCounts(len(v), n)
	offs := make([]int, n+1)
	for i, c := range counts {
		offs[i+1] = offs[i] + c
	}
	seg := func(i int) []E { return acc[offs[i]:offs[i+1]] }

	st := k.stage(h.local, 0)
	for s := 1; s < n; s++ {
		if err := sendValue(ctx, &st, (j+s)%n, seg((j+s)%n)); err != nil {
			return nil, h.lift(k, &st, err)
		}
	}
	for s := 1; s < n; s++ {
		src := (j - s + n) % n
		x, err := recvValue[[]E](ctx, &st, src)
		if err == nil {
			_, err = sliceOp(op, seg(j), x, true, false)
			err = st.fromPeer(src, err, true)
		}
		if err != nil {
			return nil, h.lift(k, &st, err)
		}
	}

	ps := k.stage(h.peers, 0)
	var red []E
	var err error
	if h.peers.size >= 3 {
		red, err = ring(ctx, &ps, seg(j), op)
	} else {
		red, err = allreduce(ctx, &ps, seg(j), op)
	}
	if err != nil {
		return nil, h.lift(k, &ps, err)
	}
	copy(seg(j), red)

	st = k.stage(h.local, 0)
	for s := 1; s < n; s++ {
		if err := sendValue(ctx, &st, (j+s)%n, seg(j)); err != nil {
			return nil, h.lift(k, &st, err)
		}
	}
	for s := 1; s < n; s++ {
		src := (j - s + n) % n
		x, err := recvValue[[]E](ctx, &st, src)
		if err == nil && len(x) != counts[src] {
			err = st.fromPeer(src, &lengthsError{a: counts[src], b: len(x)}, true)
		}
		if err != nil {
			return nil, h.lift(k, &st, err)
		}
		copy(seg(src), x)
	}
	return acc, nil
}
