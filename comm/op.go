package comm

import (
	"cmp"
	"fmt"
)

// Op is a reduction operation for Reduce, Allreduce, Scan, Exscan and
// ReduceScatter. The built-in ops work on numeric scalars, on numeric
// slices (element by element; all ranks must pass equal lengths) and, for
// MinLoc and MaxLoc, on Loc and []Loc. NewOp makes an op from a function.
type Op struct {
	name string
	kind opKind
	fn   any // func(a, b T) T for user ops
}

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
func NewOp[T any](name string, f func(a, b T) T) Op {
	return Op{name: name, kind: opUser, fn: f}
}

func (o Op) String() string { return o.name }

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
	r, err := builtin(op, any(a), any(b), aOwned, bOwned)
	if err != nil {
		return a, err
	}
	return r.(T), nil
}

func builtin(op Op, a, b any, aOwned, bOwned bool) (any, error) {
	switch x := a.(type) {
	case float64:
		return scalarOp(op, x, b.(float64))
	case float32:
		return scalarOp(op, x, b.(float32))
	case int:
		return scalarOp(op, x, b.(int))
	case int64:
		return scalarOp(op, x, b.(int64))
	case int32:
		return scalarOp(op, x, b.(int32))
	case uint64:
		return scalarOp(op, x, b.(uint64))
	case uint32:
		return scalarOp(op, x, b.(uint32))
	case uint8:
		return scalarOp(op, x, b.(uint8))
	case []float64:
		return sliceOp(op, x, b.([]float64), aOwned, bOwned)
	case []float32:
		return sliceOp(op, x, b.([]float32), aOwned, bOwned)
	case []int:
		return sliceOp(op, x, b.([]int), aOwned, bOwned)
	case []int64:
		return sliceOp(op, x, b.([]int64), aOwned, bOwned)
	case []int32:
		return sliceOp(op, x, b.([]int32), aOwned, bOwned)
	case []uint64:
		return sliceOp(op, x, b.([]uint64), aOwned, bOwned)
	case []uint32:
		return sliceOp(op, x, b.([]uint32), aOwned, bOwned)
	case []byte:
		return sliceOp(op, x, b.([]byte), aOwned, bOwned)
	case Loc:
		return locOp(op, x, b.(Loc))
	case []Loc:
		y := b.([]Loc)
		if len(x) != len(y) {
			return nil, fmt.Errorf("comm: %s over []Loc of lengths %d and %d", op.name, len(x), len(y))
		}
		dst := x
		if !aOwned {
			dst = y
			if !bOwned {
				dst = make([]Loc, len(x))
			}
		}
		for i := range x {
			l, err := locOp(op, x[i], y[i])
			if err != nil {
				return nil, err
			}
			dst[i] = l
		}
		return dst, nil
	}
	return nil, fmt.Errorf("comm: built-in op %s does not apply to %T (use NewOp)", op.name, a)
}

func scalarOp[E number](op Op, a, b E) (any, error) {
	switch op.kind {
	case opSum:
		return a + b, nil
	case opProd:
		return a * b, nil
	case opMin:
		return min(a, b), nil
	case opMax:
		return max(a, b), nil
	}
	return nil, fmt.Errorf("comm: op %s needs Loc values, got %T", op.name, a)
}

func sliceOp[E number](op Op, a, b []E, aOwned, bOwned bool) (any, error) {
	if len(a) != len(b) {
		return nil, fmt.Errorf("comm: %s over slices of lengths %d and %d", op.name, len(a), len(b))
	}
	dst := a
	switch {
	case aOwned:
	case bOwned:
		dst = b
	default:
		dst = make([]E, len(a))
	}
	switch op.kind {
	case opSum:
		for i := range dst {
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
		return nil, fmt.Errorf("comm: op %s needs Loc values, got %T", op.name, a)
	}
	return dst, nil
}

func locOp(op Op, a, b Loc) (Loc, error) {
	c := cmp.Compare(a.Value, b.Value)
	switch op.kind {
	case opMinLoc:
	case opMaxLoc:
		c = -c
	default:
		return a, fmt.Errorf("comm: op %s does not apply to Loc", op.name)
	}
	if c < 0 || c == 0 && a.Index <= b.Index {
		return a, nil
	}
	return b, nil
}
