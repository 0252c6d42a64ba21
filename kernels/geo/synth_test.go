package geo

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestKthSynthetic checks KthIndex against KthBrute, and both against a
// direct sort of Distance values, on synthetic polygons with holes.
func TestKthSynthetic(t *testing.T) {
	region := Bounds{-90, 38, -88, 40}
	tests := []struct {
		name           string
		polys, points  int
		dup, k         int
		scatter        bool
		coincidentEach int // repeat every point this many times at one place
	}{
		{"tiling_k1", 60, 500, 1, 1, false, 1},
		{"scattered_k5_dup3", 60, 300, 3, 5, true, 1},
		{"coincident_k7", 40, 100, 2, 7, false, 4},
		{"k_equals_all", 10, 20, 1, 20, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(tt.polys)))
			polys := SynthPolygons(rng, tt.polys, region, tt.scatter)
			base := SynthPoints(rng, tt.points, region)
			pts := &Points{}
			for range tt.coincidentEach {
				pts.Append(base)
			}
			proj, _ := ParseCRS("auto", polys.TotalBounds())
			polys, pts = polys.Project(proj), pts.Project(proj)

			idx := make([]float64, polys.Len())
			if err := KthIndex(idx, polys, 0, polys.Len(), NewFacilities(pts, tt.dup), tt.k); err != nil {
				t.Fatal(err)
			}
			brute := make([]float64, polys.Len())
			if err := KthBrute(brute, polys, 0, polys.Len(), Repeat(pts, tt.dup), tt.k); err != nil {
				t.Fatal(err)
			}
			zeros := 0
			for i := range idx {
				var all []float64
				for range tt.dup {
					for j := range pts.Len() {
						all = append(all, polys.Distance(i, pts.XY[2*j], pts.XY[2*j+1]))
					}
				}
				want := sortedKth(all, tt.k)
				if idx[i] != want || relErr(brute[i], want) > 1e-12 {
					t.Errorf("polygon %d: index %v, brute %v, sort %v", i, idx[i], brute[i], want)
				}
				if want == 0 {
					zeros++
				}
			}
			t.Logf("%d polygons, %d with distance 0", polys.Len(), zeros)
		})
	}
}

func sortedKth(v []float64, k int) float64 {
	c := append([]float64(nil), v...)
	for i := range c { // insertion sort: tiny inputs, independent of Select
		for j := i; j > 0 && c[j] < c[j-1]; j-- {
			c[j], c[j-1] = c[j-1], c[j]
		}
	}
	return c[k-1]
}

func TestSelect(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 3, 10, 1000} {
		v := make([]float64, n)
		for i := range v {
			v[i] = float64(rng.IntN(5)) // many ties
		}
		for _, k := range []int{0, n / 2, n - 1} {
			c := append([]float64(nil), v...)
			if got, want := Select(c, k), sortedKth(v, k+1); got != want {
				t.Errorf("n=%d k=%d: Select %v, want %v", n, k, got, want)
			}
		}
	}
}

func TestSynthDeterministic(t *testing.T) {
	region := Bounds{0, 0, 1, 1}
	a := SynthPolygons(rand.New(rand.NewPCG(1, 1)), 100, region, true)
	b := SynthPolygons(rand.New(rand.NewPCG(1, 1)), 100, region, true)
	if !reflect.DeepEqual(a, b) || a.Len() != 100 {
		t.Fatalf("not deterministic or wrong size (%d)", a.Len())
	}
	holes := 0
	for i := range a.Len() {
		r0, r1 := a.Rings(i)
		holes += r1 - r0 - 1
	}
	if holes == 0 {
		t.Error("no polygon with a hole")
	}
	if got := SynthPoints(rand.New(rand.NewPCG(1, 1)), 10, region); got.Len() != 10 || !region.Contains(got.XY[0], got.XY[1]) {
		t.Errorf("SynthPoints: %d points, first %v", got.Len(), got.XY[:2])
	}
}

func TestKthErrors(t *testing.T) {
	pts := &Points{XY: []float64{0, 0, 1, 1}}
	p := NewPolygons()
	_ = p.Add("a", [][][]float64{{{0, 0, 1, 0, 1, 1}}})
	dst := make([]float64, 1)
	if err := KthIndex(dst, p, 0, 1, NewFacilities(pts, 2), 5); err == nil {
		t.Error("KthIndex: k beyond the multiset accepted")
	}
	if err := KthBrute(dst, p, 0, 1, Repeat(pts, 2), 0); err == nil {
		t.Error("KthBrute: k = 0 accepted")
	}
}
