package comm

import "context"

// Staged reductions. Ranks fold at their node's leader in rank order and
// the leaders fold in node order, which is rank order when every node's
// ranks are consecutive; an op that is not commutative over a node map
// that is not (round-robin placement) gathers the values and folds them
// in rank order instead, so its result is the flat algorithms' bit for bit.

// hierAllreduce is Allreduce in stages.
func hierAllreduce[T any](ctx context.Context, k *coll, h *hierarchy, v T, op Op) (T, error) {
	if !op.commutative() && !h.contiguous {
		vals, err := hierAllgather(ctx, k, h, v)
		if err != nil {
			return v, err
		}
		return foldInOrder(k, op, vals, k.c.rank)
	}
	if out, ok, err := segmentedSlice(ctx, k, h, any(&v), op); ok {
		if err != nil {
			return v, err
		}
		return out.(T), nil
	}
	st := k.stage(h.local, 0)
	acc, err := fanIn(ctx, &st, v, op)
	if err != nil {
		return v, h.lift(k, &st, err)
	}
	if h.leaders != nil {
		st := k.stage(h.leaders, 0)
		if acc, err = leadersAllreduce(ctx, &st, acc, op); err != nil {
			return v, h.lift(k, &st, err)
		}
	}
	st = k.stage(h.local, 0)
	return acc, h.lift(k, &st, fanOut(ctx, &st, &acc))
}

// hierReduce is Reduce in stages: to the leader of root's node when op
// commutes, else to the first node's leader (node order is rank order),
// and from there to root.
func hierReduce[T any](ctx context.Context, k *coll, h *hierarchy, v T, op Op) (T, error) {
	var zero T
	root, me := int(k.root), k.c.rank
	if !op.commutative() && !h.contiguous {
		vals, err := hierGather(ctx, k, h, v)
		if err != nil || me != root {
			return zero, err
		}
		return foldInOrder(k, op, vals, me)
	}
	st := k.stage(h.local, 0)
	acc, err := reduceTree(ctx, &st, v, op, 0)
	if err != nil {
		return zero, h.lift(k, &st, err)
	}
	top := 0
	if op.commutative() {
		top = h.nodeOf[root]
	}
	if h.leaders != nil {
		st := k.stage(h.leaders, top)
		if acc, err = reduceTree(ctx, &st, acc, op, top); err != nil {
			return zero, h.lift(k, &st, err)
		}
	}
	from := h.leader(top)
	switch {
	case from == root && me == root:
		return acc, nil
	case from == root:
	case me == from:
		return zero, sendValue(ctx, k, root, acc)
	case me == root:
		return recvValue[T](ctx, k, from)
	}
	return zero, nil
}

// leadersAllreduce runs the leaders' Allreduce: the ring for a large
// numeric slice with a built-in op, else a direct exchange among few
// leaders (one step: what a route's latency rewards), else recursive
// doubling.
func leadersAllreduce[T any](ctx context.Context, st *coll, v T, op Op) (T, error) {
	n := st.c.size
	if n >= 3 && builtinElementwise(op) {
		if out, ok, err := ringSlice(ctx, st, any(&v), op); ok {
			if err != nil {
				return v, err
			}
			return out.(T), nil
		}
	}
	if n > linearMax {
		return allreduce(ctx, st, v, op)
	}
	vals, err := exchangeAll(ctx, st, v)
	if err != nil {
		return v, err
	}
	return foldInOrder(st, op, vals, st.c.rank)
}

// ringSlice runs the ring on *ptr when it is a numeric slice of at least
// largeThreshold bytes.
func ringSlice(ctx context.Context, st *coll, ptr any, op Op) (any, bool, error) {
	switch x := ptr.(type) {
	case *[]float64:
		return ringIfLarge(ctx, st, *x, op)
	case *[]float32:
		return ringIfLarge(ctx, st, *x, op)
	case *[]int64:
		return ringIfLarge(ctx, st, *x, op)
	case *[]int32:
		return ringIfLarge(ctx, st, *x, op)
	case *[]int:
		return ringIfLarge(ctx, st, *x, op)
	case *[]uint64:
		return ringIfLarge(ctx, st, *x, op)
	case *[]uint32:
		return ringIfLarge(ctx, st, *x, op)
	}
	return nil, false, nil
}

func ringIfLarge[E number](ctx context.Context, st *coll, v []E, op Op) (any, bool, error) {
	var e E
	if len(v)*sizeOf(e) < largeThreshold {
		return nil, false, nil
	}
	out, err := ring(ctx, st, v, op)
	return out, true, err
}

// exchangeAll sends v to every other rank of st's communicator and returns
// every rank's value, by rank.
func exchangeAll[T any](ctx context.Context, st *coll, v T) ([]T, error) {
	n, r := st.c.size, st.c.rank
	ws := make([]*waiter, n)
	for src := range n {
		if src != r {
			ws[src] = st.postRecv(src)
		}
	}
	drop := func(from int) {
		for src := from; src < n; src++ {
			if ws[src] != nil {
				st.dropRecv(ws[src])
			}
		}
	}
	codec, payload, err := encodeValue(v)
	if err != nil {
		drop(0)
		return nil, err
	}
	for dst := range n {
		if dst != r {
			if err := st.sendCopy(ctx, dst, codec, payload); err != nil {
				drop(0)
				return nil, err
			}
		}
	}
	vals := make([]T, n)
	vals[r] = v
	for src := range n {
		if src == r {
			continue
		}
		f, err := st.waitFrame(ctx, ws[src], src)
		ws[src] = nil
		if vals[src], err = decodeFrame[T](st, f, src, err); err != nil {
			drop(src + 1)
			return nil, err
		}
	}
	return vals, nil
}

// foldInOrder folds vals, one per rank of k's communicator, in rank
// order; vals[mine] is the caller's own value, which it may not
// overwrite.
func foldInOrder[T any](k *coll, op Op, vals []T, mine int) (T, error) {
	acc, owned := vals[0], mine != 0
	for i := 1; i < len(vals); i++ {
		var err error
		if acc, err = combine(op, acc, vals[i], owned, i != mine); err != nil {
			if i == mine {
				return acc, k.fromPeer(i-1, err, false)
			}
			return acc, k.fromPeer(i, err, i > mine)
		}
		owned = true
	}
	return acc, nil
}
