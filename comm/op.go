package comm

import (
	"cmp"
	"fmt"
	"reflect"
)

// Op is a reduction operation for Reduce, Allreduce, Scan, Exscan and
// ReduceScatter. The built-in ops work on numeric scalars, on numeric
// slices (element by element; all ranks must pass equal lengths) and, for
// MinLoc and MaxLoc, on Loc and []Loc. NewOp makes an op from a function.
type Op struct {
	name string
	kind opKind
	fn   any // func(a, b T) T for user ops

	commute bool // a user op made by NewCommutativeOp
}

// opKind is which built-in reduction an Op is, or opUser. It is not
// collCall, which names the collective a reduction runs in.
type opKind uint8

const (
	opUser opKind = iota
	opSum
	opProd
	opMin
	opMax
	opMinLoc
	opMaxLoc
)

// The built-in operations. All are commutative and associative.
var (
	Sum    = Op{name: "Sum", kind: opSum}
	Prod   = Op{name: "Prod", kind: opProd}
	Min    = Op{name: "Min", kind: opMin}
	Max    = Op{name: "Max", kind: opMax}
	MinLoc = Op{name: "MinLoc", kind: opMinLoc}
	MaxLoc = Op{name: "MaxLoc", kind: opMaxLoc}
)

// Loc is a value with its location (a rank or an index), for MinLoc and
// MaxLoc. Ties pick the smaller location, as MPI does.
type Loc struct {
	Value float64
	Index int
}

// NewOp makes an op from f, which must be associative. Ranks' values are
// combined in rank order (f(lower, higher)) where the algorithm allows,
// but f should also be commutative to give the same result on every
// world size.
//
// The name is the op's identity in a collective call: ranks that pass ops
// of different names to one call fail with a *MismatchError.
func NewOp[T any](name string, f func(a, b T) T) Op {
	o := Op{name: name, kind: opUser, fn: f}
	opNames.Store(o.ident(), name)
	return o
}

func (o Op) String() string { return o.name }

// commutative reports whether op's operands may be combined in any order.
func (o Op) commutative() bool {
	return o.commute || o.kind != opUser && o.kind != opReplace && o.kind != opNoOp
}

type number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64
}

// combine returns op(a, b) where a holds the values of lower ranks. It may
// overwrite whichever of a and b is marked as owned by the caller.
func combine[T any](op Op, a, b T, aOwned, bOwned bool) (T, error) {
	if op.kind == opUser {
		f, ok := op.fn.(func(a, b T) T)
		if !ok {
			return a, fmt.Errorf("comm: op %s is not a func(%T, %T) %T", op.name, a, a, a)
		}
		return f(a, b), nil
	}
	if r, ok := placement(op, a, b); ok {
		return r, nil
	}
	var out T
	// Pointers to locals: the type switch below needs no allocation.
	err := builtin(op, &out, &a, &b, aOwned, bOwned)
	return out, err
}

// builtin stores op(*a, *b) in *out; all three point to the same type.
// Each element type has one case: the integer types take the arithmetic
// and the logical and bitwise ops alike (intInto, intSliceInto).
func builtin(op Op, out, a, b any, aOwned, bOwned bool) error {
	switch pa := a.(type) {
	case *float64:
		return scalarInto(op, out.(*float64), *pa, *b.(*float64))
	case *float32:
		return scalarInto(op, out.(*float32), *pa, *b.(*float32))
	case *int:
		return intInto(op, out.(*int), *pa, *b.(*int))
	case *int64:
		return intInto(op, out.(*int64), *pa, *b.(*int64))
	case *int32:
		return intInto(op, out.(*int32), *pa, *b.(*int32))
	case *uint64:
		return intInto(op, out.(*uint64), *pa, *b.(*uint64))
	case *uint32:
		return intInto(op, out.(*uint32), *pa, *b.(*uint32))
	case *uint8:
		return intInto(op, out.(*uint8), *pa, *b.(*uint8))
	case *int8, *int16, *uint16, *uint, *complex64, *complex128, *bool, *IntLoc,
		*[]int8, *[]int16, *[]uint16, *[]uint, *[]complex64, *[]complex128, *[]bool, *[]IntLoc:
		return builtinMore(op, out, a, b, aOwned, bOwned)
	case *[]float64:
		return sliceInto(op, out.(*[]float64), *pa, *b.(*[]float64), aOwned, bOwned)
	case *[]float32:
		return sliceInto(op, out.(*[]float32), *pa, *b.(*[]float32), aOwned, bOwned)
	case *[]int:
		return intSliceInto(op, out.(*[]int), *pa, *b.(*[]int), aOwned, bOwned)
	case *[]int64:
		return intSliceInto(op, out.(*[]int64), *pa, *b.(*[]int64), aOwned, bOwned)
	case *[]int32:
		return intSliceInto(op, out.(*[]int32), *pa, *b.(*[]int32), aOwned, bOwned)
	case *[]uint64:
		return intSliceInto(op, out.(*[]uint64), *pa, *b.(*[]uint64), aOwned, bOwned)
	case *[]uint32:
		return intSliceInto(op, out.(*[]uint32), *pa, *b.(*[]uint32), aOwned, bOwned)
	case *[]byte:
		return intSliceInto(op, out.(*[]byte), *pa, *b.(*[]byte), aOwned, bOwned)
	case *Loc:
		l, err := locOp(op, *pa, *b.(*Loc))
		*out.(*Loc) = l
		return err
	case *[]Loc:
		return locSliceInto(op, out.(*[]Loc), *pa, *b.(*[]Loc), aOwned, bOwned, locOp, "Loc")
	}
	// The type's name, not a itself: passing a on would make every caller's
	// operands escape to the heap.
	return opTypeError(op, reflect.TypeOf(a).Elem())
}

// opTypeError is the error of a built-in op on a type it does not apply to.
func opTypeError(op Op, t reflect.Type) error {
	switch {
	case op.isBitwise():
		return fmt.Errorf("comm: op %s applies to bool and integers, not %v", op.name, t)
	case op.kind == opMinLoc || op.kind == opMaxLoc:
		return fmt.Errorf("comm: op %s needs Loc values, got %v", op.name, t)
	}
	return fmt.Errorf("comm: built-in op %s does not apply to %v (use NewOp)", op.name, t)
}

func scalarInto[E number](op Op, out *E, a, b E) error {
	switch op.kind {
	case opSum:
		*out = a + b
	case opProd:
		*out = a * b
	case opMin:
		*out = min(a, b)
	case opMax:
		*out = max(a, b)
	default:
		return opTypeError(op, reflect.TypeFor[E]())
	}
	return nil
}

func sliceInto[E number](op Op, out *[]E, a, b []E, aOwned, bOwned bool) error {
	dst, err := sliceOp(op, a, b, aOwned, bOwned)
	*out = dst
	return err
}

// sliceOp combines a and b element-wise into whichever is owned (or a new
// slice) and returns it.
func sliceOp[E number](op Op, a, b []E, aOwned, bOwned bool) ([]E, error) {
	dst, err := ownedDst(op, a, b, aOwned, bOwned)
	if err != nil {
		return nil, err
	}
	if err := applyInto(op, dst, a, b); err != nil {
		return nil, err
	}
	return dst, nil
}

// applyInto stores op(a[i], b[i]) in dst[i]; the three have equal lengths
// and dst may be a or b. Sum, the common case, is unrolled four ways: the
// loop is bound by loads, and fewer bounds checks and branches per element
// let more of them run at once.
func applyInto[E number](op Op, dst, a, b []E) error {
	a, b = a[:len(dst)], b[:len(dst)]
	switch op.kind {
	case opSum:
		i := 0
		for ; i+4 <= len(dst); i += 4 {
			d, x, y := dst[i:i+4:i+4], a[i:i+4:i+4], b[i:i+4:i+4]
			d[0], d[1], d[2], d[3] = x[0]+y[0], x[1]+y[1], x[2]+y[2], x[3]+y[3]
		}
		for ; i < len(dst); i++ {
			dst[i] = a[i] + b[i]
		}
	case opProd:
		for i := range dst {
			dst[i] = a[i] * b[i]
		}
	case opMin:
		for i := range dst {
			dst[i] = min(a[i], b[i])
		}
	case opMax:
		for i := range dst {
			dst[i] = max(a[i], b[i])
		}
	default:
		return opTypeError(op, reflect.TypeFor[[]E]())
	}
	return nil
}

// ownedDst checks that a and b have equal lengths and returns where their
// elementwise result goes: whichever operand the caller owns, else a new
// slice.
func ownedDst[E any](op Op, a, b []E, aOwned, bOwned bool) ([]E, error) {
	if len(a) != len(b) {
		return nil, &lengthsError{op.name, len(a), len(b)}
	}
	switch {
	case aOwned:
		return a, nil
	case bOwned:
		return b, nil
	}
	return make([]E, len(a)), nil
}

func locOp(op Op, a, b Loc) (Loc, error) {
	return pickLoc(op, a, b, a.Value, b.Value, a.Index, b.Index, "Loc")
}

// locSliceInto applies pick elementwise to two slices of located values,
// into whichever operand the caller owns (a new slice if neither).
func locSliceInto[L any](op Op, out *[]L, x, y []L, aOwned, bOwned bool, pick func(Op, L, L) (L, error), typ string) error {
	if len(x) != len(y) {
		return fmt.Errorf("comm: %s over []%s of lengths %d and %d", op.name, typ, len(x), len(y))
	}
	dst := x
	if !aOwned {
		dst = y
		if !bOwned {
			dst = make([]L, len(x))
		}
	}
	for i := range x {
		l, err := pick(op, x[i], y[i])
		if err != nil {
			return err
		}
		dst[i] = l
	}
	*out = dst
	return nil
}

// pickLoc is MinLoc or MaxLoc on a pair of located values (Loc, IntLoc):
// the smaller (larger) value, and on a tie the lower index, as MPI's
// MINLOC and MAXLOC pick.
func pickLoc[L any, V cmp.Ordered](op Op, a, b L, av, bv V, ai, bi int, typ string) (L, error) {
	c := cmp.Compare(av, bv)
	switch op.kind {
	case opMinLoc:
	case opMaxLoc:
		c = -c
	default:
		return a, fmt.Errorf("comm: op %s does not apply to %s", op.name, typ)
	}
	if c < 0 || c == 0 && ai <= bi {
		return a, nil
	}
	return b, nil
}
