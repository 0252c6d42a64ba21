package geo

import "math"

// chunkSize is the number of consecutive ring edges under one bounding box
// in the brute-force kernel.
const chunkSize = 8

// segment is one ring edge laid out for the brute-force inner loop.
type segment struct {
	x1, y1, x2, y2 float64
	dx, dy, inv    float64 // direction and 1/|d|² (0 for a degenerate edge)
}

// chunk is a run of edges segs[lo:hi] of one ring with their bounding box.
type chunk struct {
	box    Bounds
	lo, hi int
}

// segView is one polygon laid out for the brute-force kernel: ring r is
// chunks[ringStart[r]:ringStart[r+1]], and part j holds rings
// partStart[j]..partStart[j+1] (the first its shell). Buffers are reused
// across polygons.
type segView struct {
	segs      []segment
	chunks    []chunk
	ringStart []int
	partStart []int
	box       Bounds
	bd        []float64 // per-chunk scratch
}

func (s *segView) load(p *Polygons, i int) {
	s.segs, s.chunks = s.segs[:0], s.chunks[:0]
	s.ringStart, s.partStart = append(s.ringStart[:0], 0), append(s.partStart[:0], 0)
	s.box = p.Bounds(i)
	xy := p.XY
	for j := p.PolyPart[i]; j < p.PolyPart[i+1]; j++ {
		for r := p.PartRing[j]; r < p.PartRing[j+1]; r++ {
			for v := int(p.RingStart[r]); v < int(p.RingStart[r+1])-1; v++ {
				ax, ay, bx, by := xy[2*v], xy[2*v+1], xy[2*v+2], xy[2*v+3]
				dx, dy := bx-ax, by-ay
				inv := 0.0
				if l2 := dx*dx + dy*dy; l2 > 0 {
					inv = 1 / l2
				}
				if len(s.chunks) == s.ringStart[len(s.ringStart)-1] || s.chunks[len(s.chunks)-1].hi-s.chunks[len(s.chunks)-1].lo == chunkSize {
					s.chunks = append(s.chunks, chunk{box: EmptyBounds(), lo: len(s.segs), hi: len(s.segs)})
				}
				c := &s.chunks[len(s.chunks)-1]
				c.box.Extend(ax, ay)
				c.box.Extend(bx, by)
				c.hi++
				s.segs = append(s.segs, segment{ax, ay, bx, by, dx, dy, inv})
			}
			s.ringStart = append(s.ringStart, len(s.chunks))
		}
		s.partStart = append(s.partStart, len(s.ringStart)-1)
	}
	s.bd = append(s.bd[:0], make([]float64, len(s.chunks))...)
}

// distances sets d[j] to the polygon's distance to point j of xy.
func (s *segView) distances(d []float64, xy []float64) {
	for j := range d {
		d[j] = s.distance(xy[2*j], xy[2*j+1])
	}
}

// distance is the polygon's distance to (px, py): one pass per ring tests
// containment (ray crossings, exact orientation) and finds the nearest edge;
// the value is then GEOS's pointToSegment on that edge. Inside the pass an
// edge chunk whose box is no nearer than the nearest edge so far is skipped
// unless the ray from the point can cross it (GEOS skips rings the same way
// by envelope); the nearest chunk is scanned first.
func (s *segView) distance(px, py float64) float64 {
	pip := s.box.Contains(px, py)
	bd := s.bd[:len(s.chunks)]
	best, first := math.Inf(1), 0
	for c := range s.chunks {
		b := &s.chunks[c].box
		dx := max(b.MinX-px, 0, px-b.MaxX)
		dy := max(b.MinY-py, 0, py-b.MaxY)
		bd[c] = dx*dx + dy*dy
		if bd[c] < best {
			best, first = bd[c], c
		}
	}
	best, near := math.Inf(1), 0
	best, near = s.scanDist(first, px, py, best, near)
	inside := false
	for j := 0; j+1 < len(s.partStart); j++ {
		partIn := false
		for r := s.partStart[j]; r < s.partStart[j+1]; r++ {
			odd := false
			for c := s.ringStart[r]; c < s.ringStart[r+1]; c++ {
				b := &s.chunks[c].box
				cross := pip && py >= b.MinY && py <= b.MaxY && px <= b.MaxX
				if cross {
					on, o := s.scanCross(c, px, py)
					if on {
						return 0
					}
					odd = odd != o
				}
				if c != first && bd[c] < best {
					best, near = s.scanDist(c, px, py, best, near)
				}
			}
			if r == s.partStart[j] {
				partIn = odd
			} else if odd {
				partIn = false
			}
		}
		inside = inside || partIn
	}
	if inside {
		return 0
	}
	g := &s.segs[near]
	return pointToSegment(px, py, g.x1, g.y1, g.x2, g.y2)
}

// scanDist updates the nearest edge (by squared distance) over chunk c.
func (s *segView) scanDist(c int, px, py, best float64, near int) (float64, int) {
	ch := &s.chunks[c]
	segs := s.segs[ch.lo:ch.hi]
	for k := range segs {
		g := &segs[k]
		wx, wy := px-g.x1, py-g.y1
		t := (wx*g.dx + wy*g.dy) * g.inv
		t = min(max(t, 0), 1)
		ex, ey := wx-t*g.dx, wy-t*g.dy
		e := ex*ex + ey*ey
		if e < best {
			near = ch.lo + k
		}
		best = min(best, e)
	}
	return best, near
}

// scanCross counts, over chunk c, the edges a ray from (px, py) towards +x
// crosses (as GEOS's RayCrossingCounter), and reports a point on an edge.
func (s *segView) scanCross(c int, px, py float64) (on, odd bool) {
	ch := &s.chunks[c]
	for _, g := range s.segs[ch.lo:ch.hi] {
		if (g.y1 > py) != (g.y2 > py) {
			if g.x1 < px && g.x2 < px {
				continue
			}
			o := orient(g.x1, g.y1, g.x2, g.y2, px, py)
			if o == 0 {
				return true, false
			}
			if (o > 0) == (g.y2 > g.y1) {
				odd = !odd
			}
		} else if g.y2 == py && (g.x2 == px || (g.y1 == py && px >= min(g.x1, g.x2) && px <= max(g.x1, g.x2))) {
			return true, false
		}
	}
	return false, odd
}
