package geo

import (
	"fmt"
	"math"
)

// Bounds is an axis-aligned box. The zero value is not empty; use EmptyBounds.
type Bounds struct {
	MinX, MinY, MaxX, MaxY float64
}

// EmptyBounds returns a box that any Extend makes non-empty.
func EmptyBounds() Bounds {
	return Bounds{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
}

// Extend grows b to hold (x, y).
func (b *Bounds) Extend(x, y float64) {
	b.MinX = min(b.MinX, x)
	b.MinY = min(b.MinY, y)
	b.MaxX = max(b.MaxX, x)
	b.MaxY = max(b.MaxY, y)
}

// Union grows b to hold o.
func (b *Bounds) Union(o Bounds) {
	b.MinX = min(b.MinX, o.MinX)
	b.MinY = min(b.MinY, o.MinY)
	b.MaxX = max(b.MaxX, o.MaxX)
	b.MaxY = max(b.MaxY, o.MaxY)
}

// Empty reports whether b holds no point.
func (b Bounds) Empty() bool { return b.MinX > b.MaxX || b.MinY > b.MaxY }

// Contains reports whether (x, y) lies in the closed box.
func (b Bounds) Contains(x, y float64) bool {
	return x >= b.MinX && x <= b.MaxX && y >= b.MinY && y <= b.MaxY
}

// Dist2 is the squared distance from (x, y) to the closed box (0 inside).
func (b Bounds) Dist2(x, y float64) float64 {
	dx := max(b.MinX-x, 0, x-b.MaxX)
	dy := max(b.MinY-y, 0, y-b.MaxY)
	return dx*dx + dy*dy
}

// Polygons is a flat, read-only set of (multi)polygons with holes.
//
// Polygon i owns parts PolyPart[i]..PolyPart[i+1]; part j owns rings
// PartRing[j]..PartRing[j+1], the first being the shell and the rest holes;
// ring r owns vertices RingStart[r]..RingStart[r+1], vertex v being
// (XY[2v], XY[2v+1]). Rings are stored closed (last vertex = first), as in
// GeoJSON. IDs[i] names polygon i. Methods never modify the receiver, so one
// value may be shared by goroutines.
type Polygons struct {
	IDs       []string
	PolyPart  []int32
	PartRing  []int32
	RingStart []int32
	XY        []float64
}

// NewPolygons returns an empty set ready for Add.
func NewPolygons() *Polygons {
	return &Polygons{PolyPart: []int32{0}, PartRing: []int32{0}, RingStart: []int32{0}}
}

// Len is the number of polygons.
func (p *Polygons) Len() int { return len(p.IDs) }

// NumVertices is the number of stored vertices (closing vertices included).
func (p *Polygons) NumVertices() int { return len(p.XY) / 2 }

// Add appends a polygon: parts[j][r] is ring r of part j as flat x,y pairs,
// ring 0 the shell. A ring that is not closed is closed here. Rings with
// fewer than 3 distinct vertices are an error.
func (p *Polygons) Add(id string, parts [][][]float64) error {
	if len(parts) == 0 {
		return fmt.Errorf("empty geometry")
	}
	for j, rings := range parts {
		if len(rings) == 0 {
			return fmt.Errorf("part %d: no rings", j)
		}
		for r, ring := range rings {
			if len(ring)%2 != 0 {
				return fmt.Errorf("part %d ring %d: odd coordinate count", j, r)
			}
			n := len(ring) / 2
			closed := n > 0 && ring[0] == ring[2*n-2] && ring[1] == ring[2*n-1]
			if (closed && n < 4) || (!closed && n < 3) {
				return fmt.Errorf("part %d ring %d: %d vertices, need at least 4 (closed)", j, r, n)
			}
			for _, v := range ring {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("part %d ring %d: non-finite coordinate", j, r)
				}
			}
		}
	}
	for _, rings := range parts {
		for _, ring := range rings {
			p.XY = append(p.XY, ring...)
			n := len(ring) / 2
			if ring[0] != ring[2*n-2] || ring[1] != ring[2*n-1] {
				p.XY = append(p.XY, ring[0], ring[1])
			}
			p.RingStart = append(p.RingStart, int32(len(p.XY)/2))
		}
		p.PartRing = append(p.PartRing, int32(len(p.RingStart)-1))
	}
	p.PolyPart = append(p.PolyPart, int32(len(p.PartRing)-1))
	p.IDs = append(p.IDs, id)
	return nil
}

// Rings returns the ring range [r0, r1) of polygon i, over all its parts.
func (p *Polygons) Rings(i int) (r0, r1 int) {
	return int(p.PartRing[p.PolyPart[i]]), int(p.PartRing[p.PolyPart[i+1]])
}

// Bounds returns the bounding box of polygon i.
func (p *Polygons) Bounds(i int) Bounds {
	r0, r1 := p.Rings(i)
	b := EmptyBounds()
	for v := p.RingStart[r0]; v < p.RingStart[r1]; v++ {
		b.Extend(p.XY[2*v], p.XY[2*v+1])
	}
	return b
}

// TotalBounds returns the bounding box of all polygons.
func (p *Polygons) TotalBounds() Bounds {
	b := EmptyBounds()
	for v := 0; v < len(p.XY); v += 2 {
		b.Extend(p.XY[v], p.XY[v+1])
	}
	return b
}

// Project returns a copy of p with every vertex mapped through proj.
func (p *Polygons) Project(proj Projection) *Polygons {
	q := &Polygons{IDs: p.IDs, PolyPart: p.PolyPart, PartRing: p.PartRing, RingStart: p.RingStart}
	q.XY = make([]float64, len(p.XY))
	proj.ForwardSlice(q.XY, p.XY)
	return q
}

// Subset returns the polygons whose indexes are listed, in that order.
func (p *Polygons) Subset(idx []int) *Polygons {
	q := NewPolygons()
	for _, i := range idx {
		for j := p.PolyPart[i]; j < p.PolyPart[i+1]; j++ {
			for r := p.PartRing[j]; r < p.PartRing[j+1]; r++ {
				q.XY = append(q.XY, p.XY[2*p.RingStart[r]:2*p.RingStart[r+1]]...)
				q.RingStart = append(q.RingStart, int32(len(q.XY)/2))
			}
			q.PartRing = append(q.PartRing, int32(len(q.RingStart)-1))
		}
		q.PolyPart = append(q.PolyPart, int32(len(q.PartRing)-1))
		q.IDs = append(q.IDs, p.IDs[i])
	}
	return q
}
