package commtest

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// testTypes checks that every numeric type works with every built-in op,
// that complex numbers travel and reduce, that a nil slice arrives as nil
// and an empty one as empty for every type, that *any receives every value
// as the value that was sent, and that Reduce folds a non-commutative op
// in rank order whatever the root.
func testTypes(t *testing.T, mk MakeWorld) {
	checks := []struct {
		name string
		fn   func(ctx context.Context, c *comm.Comm) error
	}{
		{"BuiltinOps", checkBuiltinOps},
		{"Complex", checkComplex},
		{"NilSlices", checkNilSlices},
		{"RecvAny", checkRecvAny},
		{"ReduceOrder", checkReduceOrder},
	}
	for _, ch := range checks {
		t.Run(ch.name, func(t *testing.T) { eachSize(t, mk, ch.fn) })
	}
}

type number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64
}

func checkBuiltinOps(ctx context.Context, c *comm.Comm) error {
	for _, check := range []func(context.Context, *comm.Comm) error{
		opsOver[int], opsOver[int8], opsOver[int16], opsOver[int32], opsOver[int64],
		opsOver[uint], opsOver[uint8], opsOver[uint16], opsOver[uint32], opsOver[uint64],
		opsOver[float32], opsOver[float64],
	} {
		if err := check(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// opsOver runs Sum, Prod, Min and Max over scalars and slices of E through
// Allreduce, Reduce and Scan; rank r contributes r+1 (and, in the slice,
// also 2). Overflowing sums and products wrap the same way on every path.
func opsOver[E number](ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	name := reflect.TypeFor[E]().String()
	for _, op := range []comm.Op{comm.Sum, comm.Prod, comm.Min, comm.Max} {
		fold := func(upto int) E {
			acc := E(1)
			for i := range upto {
				x := E(i + 1)
				switch {
				case i == 0:
					acc = x
				case op == comm.Sum:
					acc += x
				case op == comm.Prod:
					acc *= x
				case op == comm.Min:
					acc = min(acc, x)
				default:
					acc = max(acc, x)
				}
			}
			return acc
		}
		all := fold(n)
		two := E(2)
		for range n - 1 {
			switch op {
			case comm.Sum:
				two += 2
			case comm.Prod:
				two *= 2
			}
		}
		what := fmt.Sprintf("%s over %s", op, name)
		got, err := comm.Allreduce(ctx, c, E(r+1), op)
		if err != nil {
			return fmt.Errorf("Allreduce %s: %w", what, err)
		}
		if err := expect("Allreduce "+what, got, all); err != nil {
			return err
		}
		gotSlice, err := comm.Allreduce(ctx, c, []E{E(r + 1), 2}, op)
		if err != nil {
			return fmt.Errorf("Allreduce []%s: %w", what, err)
		}
		if err := expect("Allreduce []"+what, gotSlice, []E{all, two}); err != nil {
			return err
		}
		root := n - 1
		red, err := comm.Reduce(ctx, c, root, []E{E(r + 1)}, op)
		if err != nil {
			return fmt.Errorf("Reduce []%s: %w", what, err)
		}
		if r == root {
			if err := expect("Reduce []"+what, red, []E{all}); err != nil {
				return err
			}
		}
		scan, err := comm.Scan(ctx, c, E(r+1), op)
		if err != nil {
			return fmt.Errorf("Scan %s: %w", what, err)
		}
		if err := expect("Scan "+what, scan, fold(r+1)); err != nil {
			return err
		}
	}
	return nil
}

type wave struct {
	Name string
	Amp  complex128
	Taps []complex64
}

func checkComplex(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	right, left := (r+1)%n, (r-1+n)%n
	z := complex(float64(r), -float64(r))
	sent := []any{z, complex64(z), []complex128{z, 1i}, []complex64{complex64(z)},
		wave{Name: "w", Amp: z, Taps: []complex64{1 + 2i, complex64(z)}},
		map[string]complex128{"z": z}}
	for tag, v := range sent {
		if err := c.Send(ctx, right, tag, v); err != nil {
			return fmt.Errorf("Send %T: %w", v, err)
		}
	}
	lz := complex(float64(left), -float64(left))
	want := []any{lz, complex64(lz), []complex128{lz, 1i}, []complex64{complex64(lz)},
		wave{Name: "w", Amp: lz, Taps: []complex64{1 + 2i, complex64(lz)}},
		map[string]complex128{"z": lz}}
	for tag, w := range want {
		got := reflect.New(reflect.TypeOf(w))
		if _, err := c.Recv(ctx, left, tag, got.Interface()); err != nil {
			return fmt.Errorf("Recv %T: %w", w, err)
		}
		if err := expect(fmt.Sprintf("Recv %T", w), got.Elem().Interface(), w); err != nil {
			return err
		}
	}
	// Sum and Prod apply: the sum of r-ri, and the product of (1+i) n times.
	sum, err := comm.Allreduce(ctx, c, z, comm.Sum)
	if err != nil {
		return err
	}
	s := float64(n * (n - 1) / 2)
	if err := expect("Allreduce Sum complex128", sum, complex(s, -s)); err != nil {
		return err
	}
	prod, err := comm.Allreduce(ctx, c, []complex64{1 + 1i}, comm.Prod)
	if err != nil {
		return err
	}
	wantProd := complex64(1)
	for range n {
		wantProd *= 1 + 1i
	}
	if err := expect("Allreduce Prod []complex64", prod, []complex64{wantProd}); err != nil {
		return err
	}
	return nil
}

// checkNilSlices: nil stays nil and empty stays empty, for every type, over
// point-to-point and Bcast, at every world size (a rank sends to itself at
// one rank).
func checkNilSlices(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	right, left := (r+1)%n, (r-1+n)%n
	values := []any{
		[]byte(nil), []float64(nil), []float32(nil), []int64(nil), []int32(nil), []int(nil),
		[]uint64(nil), []uint32(nil), []int16(nil), []string(nil), map[string]int(nil), (*record)(nil),
		[]byte{}, []float64{}, []int{}, []string{}, map[string]int{},
	}
	for tag, v := range values {
		if err := c.Send(ctx, right, tag, v); err != nil {
			return err
		}
	}
	for tag, v := range values {
		got := reflect.New(reflect.TypeOf(v))
		if _, err := c.Recv(ctx, left, tag, got.Interface()); err != nil {
			return fmt.Errorf("Recv %T: %w", v, err)
		}
		if err := sameNil(fmt.Sprintf("Recv of %#v", v), got.Elem(), reflect.ValueOf(v)); err != nil {
			return err
		}
	}
	for _, v := range []any{[]float64(nil), []int(nil), []byte(nil), []string(nil), []float64{}} {
		// Non-roots start from a non-empty value that Bcast must replace.
		p := reflect.New(reflect.TypeOf(v))
		if r == 0 {
			p.Elem().Set(reflect.ValueOf(v))
		} else {
			p.Elem().Set(reflect.MakeSlice(reflect.TypeOf(v), 1, 1))
		}
		var err error
		switch x := p.Interface().(type) {
		case *[]float64:
			err = comm.Bcast(ctx, c, 0, x)
		case *[]int:
			err = comm.Bcast(ctx, c, 0, x)
		case *[]byte:
			err = comm.Bcast(ctx, c, 0, x)
		case *[]string:
			err = comm.Bcast(ctx, c, 0, x)
		}
		if err != nil {
			return err
		}
		got := p.Elem().Interface()
		if err := sameNil(fmt.Sprintf("Bcast of %#v", v), reflect.ValueOf(got), reflect.ValueOf(v)); err != nil {
			return err
		}
	}
	return nil
}

func sameNil(what string, got, sent reflect.Value) error {
	if got.IsNil() != sent.IsNil() {
		return fmt.Errorf("%s: got %#v (nil %v)", what, got.Interface(), got.IsNil())
	}
	if got.Kind() != reflect.Pointer && got.Len() != 0 {
		return fmt.Errorf("%s: got %#v", what, got.Interface())
	}
	return nil
}

// checkRecvAny: a message of unknown type is received into *any as the
// value that was sent.
func checkRecvAny(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	right, left := (r+1)%n, (r-1+n)%n
	sent := []any{int(r), float64(r) + 0.5, fmt.Sprint("s", r), int64(-r), uint64(r),
		[]float64{float64(r)}, []int{r}, []byte{byte(r)}, []int32{int32(r)}, nil, true, []any{"a", int8(1)}}
	for tag, v := range sent {
		if err := c.Send(ctx, right, tag, v); err != nil {
			return err
		}
	}
	want := []any{int(left), float64(left) + 0.5, fmt.Sprint("s", left), int64(-left), uint64(left),
		[]float64{float64(left)}, []int{left}, []byte{byte(left)}, []int32{int32(left)}, nil, true, []any{"a", int8(1)}}
	for tag, w := range want {
		var got any
		if _, err := c.Recv(ctx, left, tag, &got); err != nil {
			return fmt.Errorf("Recv %T into *any: %w", w, err)
		}
		if !reflect.DeepEqual(got, w) {
			return fmt.Errorf("Recv into *any: got %#v (%T), want %#v (%T)", got, got, w, w)
		}
	}
	return nil
}

// checkReduceOrder: a non-commutative op is folded in rank order at every
// root, as MPI specifies.
func checkReduceOrder(ctx context.Context, c *comm.Comm) error {
	n, r := c.Size(), c.Rank()
	replace := comm.NewOp("replace", func(a, b int) int { return b })
	concat := comm.NewOp("concat", func(a, b string) string { return a + "," + b })
	var all []string
	for i := range n {
		all = append(all, fmt.Sprint(i))
	}
	for root := range n {
		got, err := comm.Reduce(ctx, c, root, r, replace)
		if err != nil {
			return err
		}
		if r == root && got != n-1 {
			return fmt.Errorf("Reduce replace at root %d: got %d, want %d", root, got, n-1)
		}
		s, err := comm.Reduce(ctx, c, root, fmt.Sprint(r), concat)
		if err != nil {
			return err
		}
		if want := strings.Join(all, ","); r == root && s != want {
			return fmt.Errorf("Reduce concat at root %d: got %q, want %q", root, s, want)
		}
	}
	return nil
}
