package comm

import (
	"context"
	"fmt"
)

// DimsCreate fills the zero entries of dims so that their product with the
// fixed ones is n, as balanced as possible and in non-increasing order
// (MPI_Dims_create): DimsCreate(12, []int{0, 0}) is [4 3]. It returns a
// new slice, or an error when n is not a multiple of the fixed entries.
func DimsCreate(n int, dims []int) ([]int, error) {
	out := append([]int(nil), dims...)
	rest, free := n, 0
	for _, d := range dims {
		switch {
		case d < 0:
			return nil, fmt.Errorf("comm: DimsCreate: negative dimension %d", d)
		case d == 0:
			free++
		default:
			if rest%d != 0 {
				return nil, fmt.Errorf("comm: DimsCreate: %d ranks do not divide by the fixed dimensions %v", n, dims)
			}
			rest /= d
		}
	}
	if n < 1 || free == 0 && rest != 1 {
		return nil, fmt.Errorf("comm: DimsCreate: %d ranks do not fill dimensions %v", n, dims)
	}
	// Deal rest's prime factors, largest first, to the smallest free
	// dimension so far.
	f := make([]int, free)
	for i := range f {
		f[i] = 1
	}
	var primes []int
	for p, m := 2, rest; m > 1; {
		if p*p > m {
			primes = append(primes, m)
			break
		}
		if m%p == 0 {
			primes = append(primes, p)
			m /= p
		} else {
			p++
		}
	}
	for i := len(primes) - 1; i >= 0 && free > 0; i-- {
		small := 0
		for j := range f {
			if f[j] < f[small] {
				small = j
			}
		}
		f[small] *= primes[i]
	}
	// Non-increasing order among the free dimensions.
	for i := range f {
		for j := i + 1; j < len(f); j++ {
			if f[j] > f[i] {
				f[i], f[j] = f[j], f[i]
			}
		}
	}
	for i, j := 0, 0; i < len(out); i++ {
		if out[i] == 0 {
			out[i], j = f[j], j+1
		}
	}
	return out, nil
}

// Cart is a communicator whose ranks form a grid (MPI_Cart_create): rank r
// has coordinates in row-major order, and each dimension is periodic (a
// ring) or not. Its Comm is a Dup of the communicator it was made from.
type Cart struct {
	*Comm
	dims     []int
	periodic []bool
}

// NewCart arranges the ranks of c as a grid of dims (whose product must be
// c's size; see DimsCreate), periodic where periodic says. Every rank of c
// must call it. Messages on the grid never match c's.
func NewCart(ctx context.Context, c *Comm, dims []int, periodic []bool) (*Cart, error) {
	if len(periodic) != len(dims) {
		return nil, fmt.Errorf("comm: NewCart: %d dimensions but %d periodic flags", len(dims), len(periodic))
	}
	n := 1
	for _, d := range dims {
		if d < 1 {
			return nil, fmt.Errorf("comm: NewCart: dimension %d in %v", d, dims)
		}
		n *= d
	}
	if n != c.Size() {
		return nil, fmt.Errorf("comm: NewCart: a grid of %v holds %d ranks, the communicator has %d", dims, n, c.Size())
	}
	dup, err := c.Dup(ctx)
	if err != nil {
		return nil, fmt.Errorf("comm: NewCart: %w", err)
	}
	return &Cart{Comm: dup, dims: append([]int(nil), dims...), periodic: append([]bool(nil), periodic...)}, nil
}

// Dims is the grid's extent in each dimension.
func (g *Cart) Dims() []int { return append([]int(nil), g.dims...) }

// Coords is the coordinates of rank r (row-major: the last dimension
// varies fastest).
func (g *Cart) Coords(r int) []int {
	co := make([]int, len(g.dims))
	for i := len(g.dims) - 1; i >= 0; i-- {
		co[i] = r % g.dims[i]
		r /= g.dims[i]
	}
	return co
}

// RankOf is the rank at coordinates co; a periodic dimension wraps
// coordinates outside the grid, a non-periodic one gives ProcNull.
func (g *Cart) RankOf(co []int) int {
	r := 0
	for i, x := range co {
		d := g.dims[i]
		if x < 0 || x >= d {
			if !g.periodic[i] {
				return ProcNull
			}
			x = (x%d + d) % d
		}
		r = r*d + x
	}
	return r
}

// Shift is MPI_Cart_shift: the ranks disp steps before and after this one
// along dimension dim, as (source, destination) for a Sendrecv that moves
// data by disp; ProcNull beyond a non-periodic edge.
func (g *Cart) Shift(dim, disp int) (src, dst int) {
	co := g.Coords(g.Rank())
	x := co[dim]
	co[dim] = x - disp
	src = g.RankOf(co)
	co[dim] = x + disp
	dst = g.RankOf(co)
	return src, dst
}
