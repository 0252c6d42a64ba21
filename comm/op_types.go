package comm

import (
	"fmt"
	"reflect"
)

// builtinMore is builtin for the less common element types: the narrow
// and unsized integers, the complex numbers, bool and IntLoc. out, a and b
// point to the same type.
func builtinMore(op Op, out, a, b any, aOwned, bOwned bool) error {
	switch pa := a.(type) {
	case *int8:
		return intInto(op, out.(*int8), *pa, *b.(*int8))
	case *int16:
		return intInto(op, out.(*int16), *pa, *b.(*int16))
	case *uint16:
		return intInto(op, out.(*uint16), *pa, *b.(*uint16))
	case *uint:
		return intInto(op, out.(*uint), *pa, *b.(*uint))
	case *complex64:
		return complexInto(op, out.(*complex64), *pa, *b.(*complex64))
	case *complex128:
		return complexInto(op, out.(*complex128), *pa, *b.(*complex128))
	case *[]int8:
		return intSliceInto(op, out.(*[]int8), *pa, *b.(*[]int8), aOwned, bOwned)
	case *[]int16:
		return intSliceInto(op, out.(*[]int16), *pa, *b.(*[]int16), aOwned, bOwned)
	case *[]uint16:
		return intSliceInto(op, out.(*[]uint16), *pa, *b.(*[]uint16), aOwned, bOwned)
	case *[]uint:
		return intSliceInto(op, out.(*[]uint), *pa, *b.(*[]uint), aOwned, bOwned)
	case *[]complex64:
		return complexSliceInto(op, out.(*[]complex64), *pa, *b.(*[]complex64), aOwned, bOwned)
	case *[]complex128:
		return complexSliceInto(op, out.(*[]complex128), *pa, *b.(*[]complex128), aOwned, bOwned)
	case *bool:
		return boolInto(op, out.(*bool), *pa, *b.(*bool))
	case *[]bool:
		return boolSliceInto(op, out.(*[]bool), *pa, *b.(*[]bool))
	case *IntLoc:
		l, err := intLocOp(op, *pa, *b.(*IntLoc))
		*out.(*IntLoc) = l
		return err
	case *[]IntLoc:
		return locSliceInto(op, out.(*[]IntLoc), *pa, *b.(*[]IntLoc), aOwned, bOwned, intLocOp, "IntLoc")
	}
	return opTypeError(op, reflect.TypeOf(a).Elem())
}

type complexNumber interface{ ~complex64 | ~complex128 }

// complexInto applies Sum or Prod; complex numbers have no order, so Min,
// Max and the Loc ops do not apply (as in MPI).
func complexInto[E complexNumber](op Op, out *E, a, b E) error {
	switch op.kind {
	case opSum:
		*out = a + b
	case opProd:
		*out = a * b
	default:
		return fmt.Errorf("comm: op %s does not apply to %v (only Sum and Prod do)", op.name, reflect.TypeFor[E]())
	}
	return nil
}

func complexSliceInto[E complexNumber](op Op, out *[]E, a, b []E, aOwned, bOwned bool) error {
	if op.kind != opSum && op.kind != opProd {
		return fmt.Errorf("comm: op %s does not apply to []%v (only Sum and Prod do)", op.name, reflect.TypeFor[E]())
	}
	dst, err := ownedDst(op, a, b, aOwned, bOwned)
	if err != nil {
		return err
	}
	for i := range dst {
		complexInto(op, &dst[i], a[i], b[i])
	}
	*out = dst
	return nil
}
