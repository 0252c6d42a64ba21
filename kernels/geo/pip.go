package geo

import "math"

// PIPIndex finds the first polygon, in file order, that covers a point
// (boundary included, holes excluded). Polygon bounding boxes are bucketed
// on a uniform grid; a query tests, in index order, only the polygons whose
// box meets the point's cell and holds the point. Read-only once built.
type PIPIndex struct {
	polys  *Polygons
	boxes  []Bounds
	grid   Bounds
	nx, ny int
	cw, ch float64
	start  []int32 // cell c lists items[start[c]:start[c+1]]
	items  []int32 // polygon indexes, ascending within a cell
}

// NewPIPIndex indexes polys (about two polygons per cell).
func NewPIPIndex(polys *Polygons) *PIPIndex {
	ix := &PIPIndex{polys: polys, boxes: make([]Bounds, polys.Len()), grid: polys.TotalBounds()}
	for i := range ix.boxes {
		ix.boxes[i] = polys.Bounds(i)
	}
	n := max(polys.Len(), 1)
	side := int(math.Ceil(math.Sqrt(float64(n) / 2)))
	ix.nx, ix.ny = side, side
	ix.cw = (ix.grid.MaxX - ix.grid.MinX) / float64(ix.nx)
	ix.ch = (ix.grid.MaxY - ix.grid.MinY) / float64(ix.ny)
	if !(ix.cw > 0) || !(ix.ch > 0) {
		ix.nx, ix.ny, ix.cw, ix.ch = 1, 1, 1, 1
	}
	counts := make([]int32, ix.nx*ix.ny+1)
	ix.eachCell(func(c, _ int) { counts[c+1]++ })
	for c := 1; c < len(counts); c++ {
		counts[c] += counts[c-1]
	}
	ix.start = append([]int32(nil), counts...)
	ix.items = make([]int32, counts[len(counts)-1])
	ix.eachCell(func(c, i int) {
		ix.items[counts[c]] = int32(i)
		counts[c]++
	})
	return ix
}

// eachCell calls fn(cell, polygon) for every cell each polygon's box meets,
// polygons in ascending order.
func (ix *PIPIndex) eachCell(fn func(c, i int)) {
	for i, b := range ix.boxes {
		if b.Empty() {
			continue
		}
		x0, y0 := ix.cell(b.MinX, b.MinY)
		x1, y1 := ix.cell(b.MaxX, b.MaxY)
		for cy := y0; cy <= y1; cy++ {
			for cx := x0; cx <= x1; cx++ {
				fn(cy*ix.nx+cx, i)
			}
		}
	}
}

// cell maps a point to grid coordinates, clamped to the grid.
func (ix *PIPIndex) cell(x, y float64) (int, int) {
	cx := int(math.Floor((x - ix.grid.MinX) / ix.cw))
	cy := int(math.Floor((y - ix.grid.MinY) / ix.ch))
	return min(max(cx, 0), ix.nx-1), min(max(cy, 0), ix.ny-1)
}

// Find returns the first polygon covering (x, y), or -1.
func (ix *PIPIndex) Find(x, y float64) int {
	if !ix.grid.Contains(x, y) {
		return -1
	}
	cx, cy := ix.cell(x, y)
	c := cy*ix.nx + cx
	for _, i := range ix.items[ix.start[c]:ix.start[c+1]] {
		if ix.boxes[i].Contains(x, y) && ix.polys.Locate(int(i), x, y) != Outside {
			return int(i)
		}
	}
	return -1
}

// Assign sets dst[j] to Find of point j of pts (dst must hold pts.Len()).
func (ix *PIPIndex) Assign(dst []int32, pts *Points) {
	for j := range pts.Len() {
		dst[j] = int32(ix.Find(pts.XY[2*j], pts.XY[2*j+1]))
	}
}
