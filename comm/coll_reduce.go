package comm

import (
	"context"
	"fmt"
)

// Reduce combines every rank's v with op at root (binomial tree). Other
// ranks get the zero value. Values are combined in rank order whatever the
// root, so an op that is not commutative gives op(v0, v1, ..., v(n-1)).
func Reduce[T any](ctx context.Context, c *Comm, root int, v T, op Op) (T, error) {
	h, err := c.hierarchyFor(ctx)
	if err != nil {
		return v, err
	}
	if err := c.canBegin(callReduce, root); err != nil {
		return v, err
	}
	if out, ok, err := sharedColl(ctx, c, callReduce, root, any(&v), op, false); ok { // &v: boxing v would allocate
		if err != nil || out == nil {
			var zero T
			return zero, err
		}
		return out.(T), nil
	}
	k, err := c.beginReduce(callReduce, root, op)
	if err != nil {
		return v, err
	}
	if h != nil {
		out, err := hierReduce(ctx, &k, h, v, op)
		return out, k.certifyOn(ctx, h, err)
	}
	if root == 0 || op.commutative() {
		out, err := reduce(ctx, &k, v, op)
		return out, k.certify(ctx, err)
	}
	// The tree folds its ranks in the order of their distance from its
	// root: reduce at rank 0, then move the result to root.
	out, err := reduceTree(ctx, &k, v, op, 0)
	switch {
	case err != nil:
	case c.rank == 0:
		err = sendValue(ctx, &k, root, out)
		var zero T
		out = zero
	case c.rank == root:
		out, err = recvValue[T](ctx, &k, 0)
	}
	return out, k.certify(ctx, err)
}

func reduce[T any](ctx context.Context, k *coll, v T, op Op) (T, error) {
	return reduceTree(ctx, k, v, op, int(k.root))
}

// reduceTree reduces over the binomial tree rooted at root.
func reduceTree[T any](ctx context.Context, k *coll, v T, op Op, root int) (T, error) {
	var zero T
	p, r := k.c.size, k.c.rank
	vr := (r - root + p) % p
	acc, owned := v, false
	for mask := 1; mask < p; mask <<= 1 {
		if vr&mask != 0 {
			parent := ((vr &^ mask) + root) % p
			return zero, sendValue(ctx, k, parent, acc)
		}
		if child := vr | mask; child < p {
			src := (child + root) % p
			x, err := recvValue[T](ctx, k, src)
			if err != nil {
				return zero, err
			}
			if acc, err = combine(op, acc, x, owned, true); err != nil {
				return zero, k.fromPeer(src, err, true)
			}
			owned = true
		}
	}
	return acc, nil
}

// Allreduce combines every rank's v with op and returns the result on
// every rank. Small values use recursive doubling (log2 p rounds, any world
// size: the ranks beyond the largest power of two fold in first); large
// numeric slices with a built-in op use a ring reduce-scatter + allgather,
// which moves 2(p-1)/p of the data per rank instead of log2 p copies, or in
// a goroutine world a reduction in place over the ranks' own memory
// (coll_shared.go).
func Allreduce[T any](ctx context.Context, c *Comm, v T, op Op) (T, error) {
	if h, err := c.hierarchyFor(ctx); err != nil || h != nil {
		if err != nil {
			return v, err
		}
		k, err := c.beginAllreduce(op, elementsIdent(any(&v)))
		if err != nil {
			return v, err
		}
		out, err := hierAllreduce(ctx, &k, h, v, op)
		return out, k.fail(err)
	}
	if out, ok, err := numericAllreduce(ctx, c, any(&v), op); ok { // &v: boxing v would allocate
		if err != nil {
			return v, err
		}
		return out.(T), nil
	}
	k, err := c.beginAllreduce(op, elementsIdent(any(&v)))
	if err != nil {
		return v, err
	}
	out, err := allreduce(ctx, &k, v, op)
	return out, k.fail(err)
}

// AllreduceInto is Allreduce of a numeric slice into a buffer of the
// caller's, as MPI's Allreduce with a receive buffer: out must have in's
// length and may be in itself (in place). In a goroutine world a large call
// then allocates nothing: the ranks reduce straight into each other's out.
func AllreduceInto[E number](ctx context.Context, c *Comm, in, out []E, op Op) error {
	if len(out) != len(in) {
		return fmt.Errorf("comm: AllreduceInto: out has %d elements, in %d", len(out), len(in))
	}
	var e E
	if h, err := c.hierarchyFor(ctx); err != nil {
		return err
	} else if h == nil && c.sharedColls() && c.size > 1 && builtinElementwise(op) && len(in)*sizeOf(e) >= largeThreshold {
		k, err := c.beginAllreduce(op, countIdent(len(in)))
		if err != nil {
			return err
		}
		return k.fail(sharedReduce(ctx, &k, in, out, op))
	}
	res, err := Allreduce(ctx, c, in, op)
	if err == nil {
		copy(out, res)
	}
	return err
}

func allreduce[T any](ctx context.Context, k *coll, v T, op Op) (T, error) {
	p, r := k.c.size, k.c.rank
	pof2 := 1
	for pof2*2 <= p {
		pof2 *= 2
	}
	rem := p - pof2
	acc, owned := v, false
	newrank := r - rem
	if r < 2*rem {
		if r%2 == 0 { // folded out: hand my value to r+1, get the result back
			if err := sendValue(ctx, k, r+1, acc); err != nil {
				return acc, err
			}
			return recvValue[T](ctx, k, r+1)
		}
		x, err := recvValue[T](ctx, k, r-1)
		if err != nil {
			return acc, err
		}
		if acc, err = combine(op, x, acc, true, owned); err != nil {
			return acc, k.fromPeer(r-1, err, false)
		}
		owned, newrank = true, r/2
	}
	for mask := 1; mask < pof2; mask <<= 1 {
		peer := newrank ^ mask
		if peer < rem {
			peer = peer*2 + 1
		} else {
			peer += rem
		}
		x, err := exchangeValue(ctx, k, peer, acc, peer)
		if err != nil {
			return acc, err
		}
		if peer < r {
			acc, err = combine(op, x, acc, true, owned)
		} else {
			acc, err = combine(op, acc, x, owned, true)
		}
		if err != nil {
			return acc, k.fromPeer(peer, err, peer > r)
		}
		owned = true
	}
	if r < 2*rem { // r is odd here: return the result to the folded rank
		if err := sendValue(ctx, k, r-1, acc); err != nil {
			return acc, err
		}
	}
	return acc, nil
}

// Scan returns op over the values of ranks 0..Rank (inclusive prefix).
func Scan[T any](ctx context.Context, c *Comm, v T, op Op) (T, error) {
	if out, ok, err := sharedColl(ctx, c, callScan, 0, any(&v), op, false); ok { // &v: boxing v would allocate
		if err != nil {
			return v, err
		}
		return out.(T), nil
	}
	k, err := c.beginReduce(callScan, 0, op)
	if err != nil {
		return v, err
	}
	incl, _, err := scan(ctx, &k, v, op, false)
	return incl, k.certify(ctx, err)
}

// Exscan returns op over the values of ranks 0..Rank-1 (exclusive prefix);
// rank 0 gets the zero value.
func Exscan[T any](ctx context.Context, c *Comm, v T, op Op) (T, error) {
	k, err := c.beginReduce(callExscan, 0, op)
	if err != nil {
		return v, err
	}
	_, excl, err := scan(ctx, &k, v, op, true)
	return excl, k.certify(ctx, err)
}

// scan is Hillis-Steele: in round d every rank sends its partial prefix to
// rank+2^d and folds in the one from rank-2^d.
func scan[T any](ctx context.Context, k *coll, v T, op Op, exclusive bool) (incl, excl T, err error) {
	p, r := k.c.size, k.c.rank
	incl, inclOwned := v, false
	exclOwned, hasExcl := false, false
	for mask := 1; mask < p; mask <<= 1 {
		if r+mask < p {
			if err = sendValue(ctx, k, r+mask, incl); err != nil {
				return
			}
		}
		if r-mask < 0 {
			continue
		}
		var x T
		if x, err = recvValue[T](ctx, k, r-mask); err != nil {
			return
		}
		if incl, err = combine(op, x, incl, !exclusive, inclOwned); err != nil {
			err = k.fromPeer(r-mask, err, false)
			return
		}
		inclOwned = true
		if exclusive {
			if hasExcl {
				excl, err = combine(op, x, excl, true, exclOwned)
			} else {
				excl = x
			}
			exclOwned, hasExcl = true, true
		}
	}
	return
}

// ReduceScatter combines every rank's v element-wise with op and scatters
// the result: rank i gets counts[i] consecutive elements (nil counts: as
// even as possible).
func ReduceScatter[T any](ctx context.Context, c *Comm, v []T, counts []int, op Op) ([]T, error) {
	k, err := c.beginReduce(callReduceScatter, 0, op)
	if err != nil {
		return nil, err
	}
	if counts == nil {
		counts = EvenCounts(len(v), c.size)
	}
	sum, err := reduce(ctx, &k, v, op)
	if err != nil {
		return nil, k.fail(err)
	}
	var parts [][]T
	if c.rank == 0 {
		if parts, err = splitByCounts(sum, counts, c.size); err != nil {
			return nil, k.fail(fmt.Errorf("comm: ReduceScatter: %w", err))
		}
	}
	part, err := scatter(ctx, &k, parts)
	return part, k.fail(err)
}
