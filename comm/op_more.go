package comm

import (
	"fmt"
	"reflect"
)

// The logical, bitwise and placement ops, as MPI's. The logical ops take
// bool or integers (non-zero is true; a combined result is 1 or 0, while a
// 1-rank world returns its value as it is, as MPI does), the bitwise ops
// integers. Replace keeps the later rank's value and NoOp the earlier
// one's, for any type: a Reduce with Replace gives the last rank's value.
var (
	LAnd    = Op{name: "LAnd", kind: opLAnd}
	LOr     = Op{name: "LOr", kind: opLOr}
	LXor    = Op{name: "LXor", kind: opLXor}
	BAnd    = Op{name: "BAnd", kind: opBAnd}
	BOr     = Op{name: "BOr", kind: opBOr}
	BXor    = Op{name: "BXor", kind: opBXor}
	Replace = Op{name: "Replace", kind: opReplace}
	NoOp    = Op{name: "NoOp", kind: opNoOp}
)

const (
	opLAnd opKind = 32 + iota
	opLOr
	opLXor
	opBAnd
	opBOr
	opBXor
	opReplace
	opNoOp
)

// NewCommutativeOp is NewOp for an f that is also commutative (MPI's
// commute flag), which lets Reduce combine at any root without first
// gathering at rank 0.
func NewCommutativeOp[T any](name string, f func(a, b T) T) Op {
	return Op{name: name, kind: opUser, fn: f, commute: true}
}

// IntLoc is Loc with an integer value, for MinLoc and MaxLoc over keys that
// a float64 cannot hold exactly (beyond 2^53).
type IntLoc struct {
	Value int64
	Index int
}

// ReduceLocal returns op(a, b) on this rank alone, with a standing for the
// lower ranks' values (MPI_Reduce_local). It applies an op exactly as the
// collectives do.
func ReduceLocal[T any](op Op, a, b T) (T, error) {
	return combine(op, a, b, false, false)
}

// placement applies Replace and NoOp, which need no type.
func placement[T any](op Op, a, b T) (T, bool) {
	switch op.kind {
	case opReplace:
		return b, true
	case opNoOp:
		return a, true
	}
	return a, false
}

type integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr
}

// isBitwise reports whether op is one of the logical or bitwise ops.
func (o Op) isBitwise() bool { return o.kind >= opLAnd && o.kind <= opBXor }

// bitsInto stores the logical or bitwise op(a, b) in *out.
func bitsInto[E integer](op Op, out *E, a, b E) error {
	t := func(x E) bool { return x != 0 }
	v := func(x bool) E {
		if x {
			return 1
		}
		return 0
	}
	switch op.kind {
	case opLAnd:
		*out = v(t(a) && t(b))
	case opLOr:
		*out = v(t(a) || t(b))
	case opLXor:
		*out = v(t(a) != t(b))
	case opBAnd:
		*out = a & b
	case opBOr:
		*out = a | b
	case opBXor:
		*out = a ^ b
	default:
		return fmt.Errorf("comm: op %s does not apply to %v", op.name, reflect.TypeFor[E]())
	}
	return nil
}

func bitsSliceInto[E integer](op Op, out *[]E, a, b []E, aOwned, bOwned bool) error {
	if len(a) != len(b) {
		return &lengthsError{op.name, len(a), len(b)}
	}
	dst := a
	switch {
	case aOwned:
	case bOwned:
		dst = b
	default:
		dst = make([]E, len(a))
	}
	for i := range dst {
		if err := bitsInto(op, &dst[i], a[i], b[i]); err != nil {
			return err
		}
	}
	*out = dst
	return nil
}

// boolInto applies a logical op to bools.
func boolInto(op Op, out *bool, a, b bool) error {
	switch op.kind {
	case opLAnd, opBAnd:
		*out = a && b
	case opLOr, opBOr:
		*out = a || b
	case opLXor, opBXor:
		*out = a != b
	default:
		return fmt.Errorf("comm: op %s does not apply to bool", op.name)
	}
	return nil
}

func intLocOp(op Op, a, b IntLoc) (IntLoc, error) {
	return pickLoc(op, a, b, a.Value, b.Value, a.Index, b.Index, "IntLoc")
}

// builtinBits is builtin for the logical and bitwise ops.
func builtinBits(op Op, out, a, b any, aOwned, bOwned bool) error {
	switch pa := a.(type) {
	case *bool:
		return boolInto(op, out.(*bool), *pa, *b.(*bool))
	case *int:
		return bitsInto(op, out.(*int), *pa, *b.(*int))
	case *int8:
		return bitsInto(op, out.(*int8), *pa, *b.(*int8))
	case *int16:
		return bitsInto(op, out.(*int16), *pa, *b.(*int16))
	case *int32:
		return bitsInto(op, out.(*int32), *pa, *b.(*int32))
	case *int64:
		return bitsInto(op, out.(*int64), *pa, *b.(*int64))
	case *uint:
		return bitsInto(op, out.(*uint), *pa, *b.(*uint))
	case *uint8:
		return bitsInto(op, out.(*uint8), *pa, *b.(*uint8))
	case *uint16:
		return bitsInto(op, out.(*uint16), *pa, *b.(*uint16))
	case *uint32:
		return bitsInto(op, out.(*uint32), *pa, *b.(*uint32))
	case *uint64:
		return bitsInto(op, out.(*uint64), *pa, *b.(*uint64))
	case *[]bool:
		x, y := *pa, *b.(*[]bool)
		if len(x) != len(y) {
			return &lengthsError{op.name, len(x), len(y)}
		}
		dst := make([]bool, len(x))
		for i := range dst {
			if err := boolInto(op, &dst[i], x[i], y[i]); err != nil {
				return err
			}
		}
		*out.(*[]bool) = dst
		return nil
	case *[]int:
		return bitsSliceInto(op, out.(*[]int), *pa, *b.(*[]int), aOwned, bOwned)
	case *[]int8:
		return bitsSliceInto(op, out.(*[]int8), *pa, *b.(*[]int8), aOwned, bOwned)
	case *[]int16:
		return bitsSliceInto(op, out.(*[]int16), *pa, *b.(*[]int16), aOwned, bOwned)
	case *[]int32:
		return bitsSliceInto(op, out.(*[]int32), *pa, *b.(*[]int32), aOwned, bOwned)
	case *[]int64:
		return bitsSliceInto(op, out.(*[]int64), *pa, *b.(*[]int64), aOwned, bOwned)
	case *[]uint:
		return bitsSliceInto(op, out.(*[]uint), *pa, *b.(*[]uint), aOwned, bOwned)
	case *[]uint8:
		return bitsSliceInto(op, out.(*[]uint8), *pa, *b.(*[]uint8), aOwned, bOwned)
	case *[]uint16:
		return bitsSliceInto(op, out.(*[]uint16), *pa, *b.(*[]uint16), aOwned, bOwned)
	case *[]uint32:
		return bitsSliceInto(op, out.(*[]uint32), *pa, *b.(*[]uint32), aOwned, bOwned)
	case *[]uint64:
		return bitsSliceInto(op, out.(*[]uint64), *pa, *b.(*[]uint64), aOwned, bOwned)
	}
	return fmt.Errorf("comm: op %s applies to bool and integers, not %v", op.name, reflect.TypeOf(a).Elem())
}

func init() {
	for _, o := range []Op{LAnd, LOr, LXor, BAnd, BOr, BXor, Replace, NoOp} {
		opNames.Store(o.ident(), o.name)
	}
}
