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
	o := Op{name: name, kind: opUser, fn: f, commute: true}
	opNames.Store(o.ident(), name)
	return o
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

// intInto applies any op that takes integers: the arithmetic ops and the
// logical and bitwise ones.
func intInto[E interface {
	number
	integer
}](op Op, out *E, a, b E) error {
	if op.isBitwise() {
		return bitsInto(op, out, a, b)
	}
	return scalarInto(op, out, a, b)
}

// intSliceInto is intInto elementwise.
func intSliceInto[E interface {
	number
	integer
}](op Op, out *[]E, a, b []E, aOwned, bOwned bool) error {
	if op.isBitwise() {
		return bitsSliceInto(op, out, a, b, aOwned, bOwned)
	}
	return sliceInto(op, out, a, b, aOwned, bOwned)
}

func bitsSliceInto[E integer](op Op, out *[]E, a, b []E, aOwned, bOwned bool) error {
	dst, err := ownedDst(op, a, b, aOwned, bOwned)
	if err != nil {
		return err
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

// boolSliceInto is boolInto elementwise, into a new slice.
func boolSliceInto(op Op, out *[]bool, a, b []bool) error {
	if !op.isBitwise() {
		return opTypeError(op, reflect.TypeFor[[]bool]())
	}
	dst, err := ownedDst(op, a, b, false, false)
	if err != nil {
		return err
	}
	for i := range dst {
		if err := boolInto(op, &dst[i], a[i], b[i]); err != nil {
			return err
		}
	}
	*out = dst
	return nil
}

func intLocOp(op Op, a, b IntLoc) (IntLoc, error) {
	return pickLoc(op, a, b, a.Value, b.Value, a.Index, b.Index, "IntLoc")
}

func init() {
	for _, o := range []Op{LAnd, LOr, LXor, BAnd, BOr, BXor, Replace, NoOp} {
		opNames.Store(o.ident(), o.name)
	}
}
