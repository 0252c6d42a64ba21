package comm

import (
	"context"
	"fmt"
	"reflect"
	"unsafe"
)

// In a goroutine world Reduce, Scan and their in-place forms of a numeric
// slice with a built-in elementwise op work on the ranks' buffers
// directly from sharedFoldMin bytes, as AllreduceInto does
// (coll_shared.go): every rank publishes its input and output, and
// between two barriers rank r folds segment r of every buffer. Nothing is copied and, once the process has a spare
// window, the in-place forms allocate nothing. Reduce and ReduceInPlace
// (Scan and ScanInPlace) take this path under the same conditions, so
// ranks may mix them as MPI_IN_PLACE allows.

// sharedFoldMin is the smallest buffer (in bytes) folded in shared
// memory: below it the two barriers cost more than the binomial tree's
// messages.
const sharedFoldMin = 1 << 10

// sharedColl runs Reduce (call callReduce) or Scan of *ptr, a pointer so
// that the caller's slice is not boxed, in shared memory when that
// applies, and reports whether it did. In place, the result replaces
// *ptr (at root only for a reduction); else it is returned in out.
func sharedColl(ctx context.Context, c *Comm, call collCall, root int, ptr any, op Op, inPlace bool) (out any, ok bool, err error) {
	if !c.sharedColls() || c.size < 2 || !builtinElementwise(op) {
		return nil, false, nil
	}
	if h, err := c.hierarchyFor(ctx); err != nil || h != nil {
		return nil, err != nil, err
	}
	switch x := ptr.(type) {
	case *[]float64:
		return sharedFoldCall(ctx, c, call, root, *x, op, inPlace)
	case *[]float32:
		return sharedFoldCall(ctx, c, call, root, *x, op, inPlace)
	case *[]int:
		return sharedFoldCall(ctx, c, call, root, *x, op, inPlace)
	case *[]int64:
		return sharedFoldCall(ctx, c, call, root, *x, op, inPlace)
	case *[]int32:
		return sharedFoldCall(ctx, c, call, root, *x, op, inPlace)
	case *[]int16:
		return sharedFoldCall(ctx, c, call, root, *x, op, inPlace)
	case *[]int8:
		return sharedFoldCall(ctx, c, call, root, *x, op, inPlace)
	case *[]uint:
		return sharedFoldCall(ctx, c, call, root, *x, op, inPlace)
	case *[]uint64:
		return sharedFoldCall(ctx, c, call, root, *x, op, inPlace)
	case *[]uint32:
		return sharedFoldCall(ctx, c, call, root, *x, op, inPlace)
	case *[]uint16:
		return sharedFoldCall(ctx, c, call, root, *x, op, inPlace)
	case *[]uint8:
		return sharedFoldCall(ctx, c, call, root, *x, op, inPlace)
	}
	return nil, false, nil
}

func sharedFoldCall[E number](ctx context.Context, c *Comm, call collCall, root int, in []E, op Op, inPlace bool) (any, bool, error) {
	var e E
	if len(in)*sizeOf(e) < sharedFoldMin {
		return nil, false, nil
	}
	k, err := c.beginReduce(call, root, op)
	if err != nil {
		return nil, true, err
	}
	out := in
	if !inPlace {
		out = nil
		if call != callReduce || c.rank == root {
			out = make([]E, len(in))
		}
	}
	if err := k.fail(sharedFold(ctx, &k, in, out, op)); err != nil || inPlace {
		return nil, true, err
	}
	return out, true, nil
}

// sharedFold folds the ranks' ins in shared memory into root's out for a
// reduction, else into every rank's out as an inclusive prefix; an out
// may be its in. Every rank sees every buffer, so every rank fails alike
// on a mismatch.
func sharedFold[E number](ctx context.Context, k *coll, in, out []E, op Op) error {
	p, r := k.c.size, k.c.rank
	proc := k.c.proc
	w := proc.window(k.seq, p)
	defer proc.leave(k.seq, w)
	elem := reflect.TypeFor[E]()
	proc.publishSlice(w, r, unsafe.Pointer(unsafe.SliceData(in)), unsafe.Pointer(unsafe.SliceData(out)), len(in), elem)
	if err := k.barrier(ctx); err != nil {
		return err
	}
	for j := range p {
		if w.elems[j] != elem || w.lens[j] != len(in) {
			return fmt.Errorf("comm: %s: rank %d passed %d elements of %v, rank %d passed %d of %v",
				callNames[k.call], r, len(in), elem, j, w.lens[j], w.elems[j])
		}
	}
	lo, hi := share(len(in), p, r)
	if hi > lo {
		seg := func(bases []unsafe.Pointer, j int) []E { return unsafe.Slice((*E)(bases[j]), w.lens[j])[lo:hi] }
		if k.call == callReduce {
			// Root's own values first, then the others' in rank order: the
			// ops that take this path commute.
			root := int(k.root)
			dst, acc := seg(w.outBases, root), seg(w.bases, root)
			for j := range p {
				if j != root {
					_ = applyInto(op, dst, acc, seg(w.bases, j))
					acc = dst
				}
			}
		} else {
			copy(seg(w.outBases, 0), seg(w.bases, 0))
			for j := 1; j < p; j++ {
				_ = applyInto(op, seg(w.outBases, j), seg(w.outBases, j-1), seg(w.bases, j))
			}
		}
	}
	return k.barrier(ctx)
}
