package geo

import (
	"math"
	"math/big"
)

// Location is where a point lies relative to a polygon.
type Location int8

// The three locations. Covers means Inside or Boundary.
const (
	Outside Location = iota
	Inside
	Boundary
)

func (l Location) String() string {
	switch l {
	case Inside:
		return "inside"
	case Boundary:
		return "boundary"
	}
	return "outside"
}

// Locate reports where (x, y) lies relative to polygon i: on a ring
// (Boundary), inside a shell and outside its holes (Inside), or Outside.
// The test is exact (robust orientation), as GEOS's RayCrossingCounter.
func (p *Polygons) Locate(i int, x, y float64) Location {
	loc, _, _ := p.scan(i, x, y, false)
	return loc
}

// Distance is the distance from polygon i to (x, y): 0 when the polygon
// covers the point, else the least distance to any ring segment, computed
// as GEOS's DistanceOp does (Distance::pointToSegment on the nearest one).
func (p *Polygons) Distance(i int, x, y float64) float64 {
	loc, seg, _ := p.scan(i, x, y, true)
	if loc != Outside {
		return 0
	}
	v := 2 * seg
	return pointToSegment(x, y, p.XY[v], p.XY[v+1], p.XY[v+2], p.XY[v+3])
}

// scan makes one pass over the rings of polygon i: the ray-crossing parity
// of every ring and, if dist, the nearest segment (its first vertex index)
// by squared distance. It stops early on a boundary hit.
func (p *Polygons) scan(i int, x, y float64, dist bool) (loc Location, seg int, d2 float64) {
	xy := p.XY
	d2 = math.Inf(1)
	seg = -1
	inside := false
	for j := p.PolyPart[i]; j < p.PolyPart[i+1]; j++ {
		partIn := false
		for r := p.PartRing[j]; r < p.PartRing[j+1]; r++ {
			odd := false
			end := 2 * int(p.RingStart[r+1]-1)
			for v := 2 * int(p.RingStart[r]); v < end; v += 2 {
				x1, y1, x2, y2 := xy[v], xy[v+1], xy[v+2], xy[v+3]
				if dist {
					if d := segDist2(x, y, x1, y1, x2, y2); d < d2 {
						d2, seg = d, v/2
					}
				}
				if (y1 > y) != (y2 > y) {
					if x1 < x && x2 < x {
						continue
					}
					o := orient(x1, y1, x2, y2, x, y)
					if o == 0 {
						return Boundary, v / 2, 0
					}
					if (o > 0) == (y2 > y1) {
						odd = !odd
					}
				} else if y2 == y && (x2 == x || (y1 == y && x >= min(x1, x2) && x <= max(x1, x2))) {
					return Boundary, v / 2, 0
				}
			}
			if r == p.PartRing[j] {
				partIn = odd
			} else if odd {
				partIn = false
			}
		}
		inside = inside || partIn
	}
	if inside {
		return Inside, seg, 0
	}
	return Outside, seg, d2
}

// segDist2 is the squared distance from (px, py) to segment (x1,y1)-(x2,y2).
func segDist2(px, py, x1, y1, x2, y2 float64) float64 {
	dx, dy := x2-x1, y2-y1
	wx, wy := px-x1, py-y1
	dot := wx*dx + wy*dy
	if dot <= 0 {
		return wx*wx + wy*wy
	}
	len2 := dx*dx + dy*dy
	if dot >= len2 {
		ex, ey := px-x2, py-y2
		return ex*ex + ey*ey
	}
	c := wx*dy - wy*dx
	return c * c / len2
}

// pointToSegment is GEOS's Distance::pointToSegment, term for term.
func pointToSegment(px, py, ax, ay, bx, by float64) float64 {
	if ax == bx && ay == by {
		return math.Sqrt((px-ax)*(px-ax) + (py-ay)*(py-ay))
	}
	len2 := (bx-ax)*(bx-ax) + (by-ay)*(by-ay)
	r := ((px-ax)*(bx-ax) + (py-ay)*(by-ay)) / len2
	if r <= 0 {
		return math.Sqrt((px-ax)*(px-ax) + (py-ay)*(py-ay))
	}
	if r >= 1 {
		return math.Sqrt((px-bx)*(px-bx) + (py-by)*(py-by))
	}
	s := ((ay-py)*(bx-ax) - (ax-px)*(by-ay)) / len2
	return math.Abs(s) * math.Sqrt(len2)
}

// orient is the exact sign of (b-a) x (p-a): +1 when p is left of a->b.
// A floating-point filter (Shewchuk's bound) settles almost every case;
// the rest are decided in exact rational arithmetic.
func orient(ax, ay, bx, by, px, py float64) int {
	l := (bx - ax) * (py - ay)
	r := (by - ay) * (px - ax)
	det := l - r
	bound := 3.3306690738754716e-16 * (math.Abs(l) + math.Abs(r))
	switch {
	case det > bound:
		return 1
	case -det > bound:
		return -1
	}
	return orientExact(ax, ay, bx, by, px, py)
}

func orientExact(ax, ay, bx, by, px, py float64) int {
	rat := func(v float64) *big.Rat { return new(big.Rat).SetFloat64(v) }
	sub := func(u, v float64) *big.Rat { return new(big.Rat).Sub(rat(u), rat(v)) }
	l := new(big.Rat).Mul(sub(bx, ax), sub(py, ay))
	r := new(big.Rat).Mul(sub(by, ay), sub(px, ax))
	return l.Cmp(r)
}
