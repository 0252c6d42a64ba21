package geo

import (
	"path/filepath"
	"testing"
)

func TestPIPReference(t *testing.T) {
	polys := ilPolygons(t)
	ix := NewPIPIndex(polys)
	tests := []struct{ name, points, ref string }{
		{"il_zips", "zips_il.csv", "pip_il.csv"},
		{"il_edges", "pip_il_edge_points.csv", "pip_il_edge.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pts := loadPts(t, tt.points)
			ref := readRef(t, tt.ref)
			got := make([]int32, pts.Len())
			ix.Assign(got, pts)
			if len(ref) != len(got) {
				t.Fatalf("%d points, reference has %d", len(got), len(ref))
			}
			outside := 0
			for j, r := range ref {
				id := ""
				if got[j] >= 0 {
					id = polys.IDs[got[j]]
				} else {
					outside++
				}
				if pts.IDs[j] != r[0] || id != r[1] {
					t.Errorf("row %d: got %s,%s, reference %s,%s", j, pts.IDs[j], id, r[0], r[1])
				}
			}
			t.Logf("%d points, %d outside", len(got), outside)
		})
	}
}

// TestPIPMatchesScan checks the grid index against a scan of every polygon.
func TestPIPMatchesScan(t *testing.T) {
	dc, err := LoadGeoJSON(filepath.Join(td, "dc_2018.geojson"), GeoJSONOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pts := loadPts(t, "zips_dc_md_va.csv")
	ix := NewPIPIndex(dc)
	found := 0
	for j := range pts.Len() {
		x, y := pts.XY[2*j], pts.XY[2*j+1]
		want := -1
		for i := range dc.Len() {
			if dc.Locate(i, x, y) != Outside {
				want = i
				break
			}
		}
		if got := ix.Find(x, y); got != want {
			t.Errorf("point %s: index %d, scan %d", pts.IDs[j], got, want)
		}
		if want >= 0 {
			found++
		}
	}
	if found == 0 {
		t.Fatal("no point inside DC: test data wrong")
	}
}

func TestLocate(t *testing.T) {
	// A 10x10 square with a 2x2 hole at (4..6, 4..6), and a second part,
	// an island 4.5..5.5 inside the hole.
	p := NewPolygons()
	square := []float64{0, 0, 10, 0, 10, 10, 0, 10, 0, 0}
	hole := []float64{4, 4, 4, 6, 6, 6, 6, 4, 4, 4}
	island := []float64{4.5, 4.5, 5.5, 4.5, 5.5, 5.5, 4.5, 5.5}
	if err := p.Add("a", [][][]float64{{square, hole}, {island}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		x, y float64
		want Location
		dist float64
	}{
		{"inside", 1, 1, Inside, 0},
		{"vertex", 0, 0, Boundary, 0},
		{"edge_bottom", 3, 0, Boundary, 0},
		{"edge_right", 10, 7, Boundary, 0},
		{"in_hole", 4.2, 5, Outside, 0.2},
		{"hole_edge", 4, 5, Boundary, 0},
		{"island", 5, 5, Inside, 0},
		{"island_vertex", 5.5, 5.5, Boundary, 0},
		{"outside_left", -3, 5, Outside, 3},
		{"outside_corner", 13, 14, Outside, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Locate(0, tt.x, tt.y); got != tt.want {
				t.Errorf("Locate(%v, %v) = %v, want %v", tt.x, tt.y, got, tt.want)
			}
			if got := p.Distance(0, tt.x, tt.y); relErr(got, tt.dist) > 1e-12 {
				t.Errorf("Distance(%v, %v) = %v, want %v", tt.x, tt.y, got, tt.dist)
			}
			var sv segView
			sv.load(p, 0)
			if got := sv.distance(tt.x, tt.y); relErr(got, tt.dist) > 1e-12 {
				t.Errorf("brute distance(%v, %v) = %v, want %v", tt.x, tt.y, got, tt.dist)
			}
		})
	}
}

func BenchmarkPIP(b *testing.B) {
	polys := cookPolygons(b)
	pts := loadPts(b, "zips_il.csv")
	dst := make([]int32, pts.Len())
	b.ResetTimer()
	for b.Loop() {
		ix := NewPIPIndex(polys)
		ix.Assign(dst, pts)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(pts.Len()), "ns/point")
}
