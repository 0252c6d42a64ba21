package geo

import "math"

// chunkSize is the number of consecutive ring edges under one bounding box
// in the brute-force kernel, for a polygon of n edges: a far point pays one
// box test per chunk plus the scan of one or two chunks, so about sqrt(n),
// and at least 4 (docs/performance.md, Geometry).
func chunkSize(n int) int {
	return max(4, int(math.Sqrt(float64(n))))
}

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
	r0, r1 := p.Rings(i)
	size := chunkSize(int(p.RingStart[r1]-p.RingStart[r0]) - (r1 - r0))
	for j := p.PolyPart[i]; j < p.PolyPart[i+1]; j++ {
		for r := p.PartRing[j]; r < p.PartRing[j+1]; r++ {
			for v := int(p.RingStart[r]); v < int(p.RingStart[r+1])-1; v++ {
				ax, ay, bx, by := xy[2*v], xy[2*v+1], xy[2*v+2], xy[2*v+3]
				dx, dy := bx-ax, by-ay
				inv := 0.0
				if l2 := dx*dx + dy*dy; l2 > 0 {
					inv = 1 / l2
				}
				if len(s.chunks) == s.ringStart[len(s.ringStart)-1] || s.chunks[len(s.chunks)-1].hi-s.chunks[len(s.chunks)-1].lo == size {
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
// by envelope); the nearest chunk is scanned first. A point outside the
// polygon's box is outside it, so only its nearest edge is sought.
func (s *segView) distance(px, py float64) float64 {
	if !s.box.Contains(px, py) {
		return s.outsideDistance(px, py)
	}
	bd := s.bd[:len(s.chunks)]
	best, first := math.Inf(1), 0
	for c := range s.chunks {
		b := &s.chunks[c].box
		dx := pos(b.MinX-px) + pos(px-b.MaxX)
		dy := pos(b.MinY-py) + pos(py-b.MaxY)
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
				if py >= b.MinY && py <= b.MaxY && px <= b.MaxX { // the ray may cross
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
// The clamp and the minimum work on the IEEE bit patterns, which order
// non-negative floats as unsigned integers: compare-and-move instead of
// branches (the nearest edge changes unpredictably) or the NaN-aware
// float min/max. No value here is NaN: coordinates are finite and
// degenerate edges have inv = 0.
func (s *segView) scanDist(c int, px, py, best float64, near int) (float64, int) {
	ch := &s.chunks[c]
	segs := s.segs[ch.lo:ch.hi]
	bb := math.Float64bits(best)
	for k := range segs {
		g := &segs[k]
		wx, wy := px-g.x1, py-g.y1
		t := clamp01((wx*g.dx + wy*g.dy) * g.inv)
		ex, ey := wx-t*g.dx, wy-t*g.dy
		eb := math.Float64bits(ex*ex + ey*ey)
		// Both are below 2^63, so the difference's sign is eb < bb.
		lt := int((int64(eb) - int64(bb)) >> 63)
		near ^= (near ^ (ch.lo + k)) & lt
		bb = min(bb, eb)
	}
	return math.Float64frombits(bb), near
}

// pos is max(v, 0) for a non-NaN v, without branches.
func pos(v float64) float64 {
	b := math.Float64bits(v)
	return math.Float64frombits(b &^ uint64(int64(b)>>63))
}

// clamp01 is min(max(v, 0), 1) for a non-NaN v, without branches.
func clamp01(v float64) float64 {
	b := math.Float64bits(v)
	b &^= uint64(int64(b) >> 63)
	return math.Float64frombits(min(b, 0x3FF0000000000000))
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

// outsideDistance is distance for a point outside the polygon's bounding
// box, hence outside the polygon: only the nearest edge is needed. Chunks
// are scanned nearest box first; the rest only if their box is nearer than
// the nearest edge found so far.
func (s *segView) outsideDistance(px, py float64) float64 {
	bd := s.bd[:len(s.chunks)]
	lo, first := math.Inf(1), 0
	for c := range s.chunks {
		b := &s.chunks[c].box
		dx := pos(b.MinX-px) + pos(px-b.MaxX) // at most one is positive
		dy := pos(b.MinY-py) + pos(py-b.MaxY)
		d := dx*dx + dy*dy
		bd[c] = d
		if d < lo {
			lo, first = d, c
		}
	}
	best, near := s.scanDist(first, px, py, math.Inf(1), 0)
	for c, d := range bd {
		if d < best && c != first {
			best, near = s.scanDist(c, px, py, best, near)
		}
	}
	g := &s.segs[near]
	return pointToSegment(px, py, g.x1, g.y1, g.x2, g.y2)
}
