package geo

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// SynthPolygons makes n tract-like polygons over region (lon/lat degrees),
// deterministically from rng: the region is cut into a near-square grid of
// at least n cells and polygon i fills most of cell i (row-major) with a
// star-shaped, non-convex ring of 8 to 31 vertices; about one in ten gets a
// square hole and, with scatter, cells are left empty at random so the
// polygons are scattered rather than tiling. IDs are "S0000001"...
func SynthPolygons(rng *rand.Rand, n int, region Bounds, scatter bool) *Polygons {
	cells := n
	if scatter {
		cells = 2 * n
	}
	nx := max(1, int(math.Ceil(math.Sqrt(float64(cells)*(region.MaxX-region.MinX)/(region.MaxY-region.MinY)))))
	ny := max(1, (cells+nx-1)/nx)
	w := (region.MaxX - region.MinX) / float64(nx)
	h := (region.MaxY - region.MinY) / float64(ny)
	p := NewPolygons()
	for c := 0; p.Len() < n; c++ {
		if scatter && c < nx*ny && rng.IntN(2) == 0 && nx*ny-c > n-p.Len() {
			continue
		}
		cx := region.MinX + (float64(c%nx)+0.5)*w
		cy := region.MinY + (float64(c/nx%ny)+0.5)*h
		rx, ry := 0.48*w, 0.48*h
		m := 8 + rng.IntN(24)
		shell := make([]float64, 0, 2*m+2)
		for k := range m {
			a := 2 * math.Pi * (float64(k) + 0.8*rng.Float64()) / float64(m)
			r := 0.55 + 0.45*rng.Float64()
			shell = append(shell, cx+r*rx*math.Cos(a), cy+r*ry*math.Sin(a))
		}
		rings := [][]float64{shell}
		if rng.IntN(10) == 0 {
			hx, hy := 0.25*rx, 0.25*ry
			rings = append(rings, []float64{cx - hx, cy - hy, cx - hx, cy + hy, cx + hx, cy + hy, cx + hx, cy - hy})
		}
		if err := p.Add(fmt.Sprintf("S%07d", p.Len()+1), [][][]float64{rings}); err != nil {
			panic("geo: SynthPolygons: " + err.Error())
		}
	}
	return p
}

// SynthPoints makes n uniform random points over region, named "P1"...
func SynthPoints(rng *rand.Rand, n int, region Bounds) *Points {
	p := &Points{IDs: make([]string, n), XY: make([]float64, 2*n)}
	for i := range n {
		p.IDs[i] = fmt.Sprintf("P%d", i+1)
		p.XY[2*i] = region.MinX + rng.Float64()*(region.MaxX-region.MinX)
		p.XY[2*i+1] = region.MinY + rng.Float64()*(region.MaxY-region.MinY)
	}
	return p
}
