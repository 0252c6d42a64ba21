package comm

// An Allreduce of a numeric slice carries the slice's element count in its
// identity (the root field of its frames and probes, unused by a call
// without a root), so that ranks passing slices of different lengths fail
// with a *MismatchError on every rank, whichever algorithm each of them
// picks by its own length: a ring whose blocks happen to have equal
// lengths on two ranks, or one rank below the large threshold and another
// above it, would otherwise combine frames of calls that differ.

// beginAllreduce is beginReduce for Allreduce with op, whose operands have
// the identity elems (elementsIdent).
func (c *Comm) beginAllreduce(op Op, elems int32) (coll, error) {
	k, err := c.beginUnchecked(callAllreduce, 0)
	k.red, k.root = op.ident(), elems
	if err == nil {
		err = k.checkBegun()
	}
	return k, err
}

// elementsIdent is countIdent of the length of *ptr when it is a slice of
// numbers, 0 for any other value.
func elementsIdent(ptr any) int32 {
	switch x := ptr.(type) {
	case *[]float64:
		return countIdent(len(*x))
	case *[]float32:
		return countIdent(len(*x))
	case *[]int:
		return countIdent(len(*x))
	case *[]int64:
		return countIdent(len(*x))
	case *[]int32:
		return countIdent(len(*x))
	case *[]int16:
		return countIdent(len(*x))
	case *[]int8:
		return countIdent(len(*x))
	case *[]uint:
		return countIdent(len(*x))
	case *[]uint64:
		return countIdent(len(*x))
	case *[]uint32:
		return countIdent(len(*x))
	case *[]uint16:
		return countIdent(len(*x))
	case *[]uint8:
		return countIdent(len(*x))
	}
	return 0
}

// countIdent folds an element count into 31 bits: the count itself below
// 2^31, which is what a mismatch reports. It is never negative, so never
// the Arg of a control frame (argMismatch, argProbe).
func countIdent(n int) int32 {
	u := uint64(n)
	return int32((uint32(u) ^ uint32(u>>32)) &^ (1 << 31))
}
