package geo

import (
	"cmp"
	"slices"
)

// leafSize is the most points a KD-tree leaf holds.
const leafSize = 8

// Facilities is a KD-tree over the distinct locations of a point multiset:
// location i is (XY[2i], XY[2i+1]) and stands for Weight[i] copies. Build it
// once with NewFacilities; it is read-only afterwards and safe to share.
type Facilities struct {
	XY     []float64
	Weight []int64
	Total  int64 // sum of Weight: the size of the multiset
	nodes  []kdNode
}

type kdNode struct {
	box         Bounds
	lo, hi      int32 // location range
	left, right int32 // children, -1 for a leaf
}

// NewFacilities indexes the multiset made of pts repeated dup times (as the
// lecture's pd.concat([points]*dup)): coincident points merge into one
// location whose weight counts them, so dup only scales weights.
func NewFacilities(pts *Points, dup int) *Facilities {
	if dup < 1 {
		panic("geo: NewFacilities: dup < 1")
	}
	n := pts.Len()
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	xy := pts.XY
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(xy[2*a], xy[2*b]); c != 0 {
			return c
		}
		return cmp.Compare(xy[2*a+1], xy[2*b+1])
	})
	f := &Facilities{}
	for k, i := range order {
		x, y := xy[2*i], xy[2*i+1]
		if k > 0 && x == f.XY[len(f.XY)-2] && y == f.XY[len(f.XY)-1] {
			f.Weight[len(f.Weight)-1] += int64(dup)
		} else {
			f.XY = append(f.XY, x, y)
			f.Weight = append(f.Weight, int64(dup))
		}
		f.Total += int64(dup)
	}
	if len(f.Weight) > 0 {
		f.build(0, len(f.Weight), 0)
	}
	return f
}

// Len is the number of distinct locations.
func (f *Facilities) Len() int { return len(f.Weight) }

// build makes the node over locations [lo, hi) and returns its index.
func (f *Facilities) build(lo, hi, depth int) int32 {
	b := EmptyBounds()
	for i := lo; i < hi; i++ {
		b.Extend(f.XY[2*i], f.XY[2*i+1])
	}
	id := int32(len(f.nodes))
	f.nodes = append(f.nodes, kdNode{box: b, lo: int32(lo), hi: int32(hi), left: -1, right: -1})
	if hi-lo <= leafSize {
		return id
	}
	axis := 0
	if b.MaxY-b.MinY > b.MaxX-b.MinX {
		axis = 1
	}
	mid := (lo + hi) / 2
	f.selectAxis(lo, hi, mid, axis)
	l := f.build(lo, mid, depth+1)
	r := f.build(mid, hi, depth+1)
	f.nodes[id].left, f.nodes[id].right = l, r
	return id
}

// selectAxis partially orders locations [lo, hi) by the axis coordinate so
// that position mid holds its order statistic (quickselect).
func (f *Facilities) selectAxis(lo, hi, mid, axis int) {
	key := func(i int) float64 { return f.XY[2*i+axis] }
	for hi-lo > 1 {
		a, b, c := lo, (lo+hi)/2, hi-1
		if key(a) > key(b) {
			a, b = b, a
		}
		if key(b) > key(c) {
			b = c
			if key(a) > key(b) {
				b = a
			}
		}
		pivot := key(b)
		i, j := lo, hi-1
		for i <= j {
			for key(i) < pivot {
				i++
			}
			for key(j) > pivot {
				j--
			}
			if i <= j {
				f.swap(i, j)
				i++
				j--
			}
		}
		switch {
		case mid <= j:
			hi = j + 1
		case mid >= i:
			lo = i
		default:
			return
		}
	}
}

func (f *Facilities) swap(i, j int) {
	f.XY[2*i], f.XY[2*j] = f.XY[2*j], f.XY[2*i]
	f.XY[2*i+1], f.XY[2*j+1] = f.XY[2*j+1], f.XY[2*i+1]
	f.Weight[i], f.Weight[j] = f.Weight[j], f.Weight[i]
}

// boxDist2 is the squared distance between two boxes (0 when they meet).
func boxDist2(a, b Bounds) float64 {
	dx := max(a.MinX-b.MaxX, 0, b.MinX-a.MaxX)
	dy := max(a.MinY-b.MaxY, 0, b.MinY-a.MaxY)
	return dx*dx + dy*dy
}
