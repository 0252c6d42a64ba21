package geo

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
)

const td = "../../testdata/geo"

// loaded inputs, shared by the tests of this package (read-only).
var (
	ilOnce   sync.Once
	ilTracts *Polygons
	ilErr    error
)

func ilPolygons(t testing.TB) *Polygons {
	t.Helper()
	ilOnce.Do(func() { ilTracts, ilErr = LoadGeoJSON(filepath.Join(td, "il_2018.geojson"), GeoJSONOptions{}) })
	if ilErr != nil {
		t.Fatal(ilErr)
	}
	return ilTracts
}

// filterPolys keeps the polygons whose ID has the given prefix (Cook County
// is GEOID 17031...), as the COUNTYFP=031 filter does.
func cookPolygons(t testing.TB) *Polygons {
	t.Helper()
	p := ilPolygons(t)
	var idx []int
	for i, id := range p.IDs {
		if id[:5] == "17031" {
			idx = append(idx, i)
		}
	}
	return p.Subset(idx)
}

func loadPts(t testing.TB, name string) *Points {
	t.Helper()
	p, _, err := LoadPoints(filepath.Join(td, name), PointOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// readRef reads a two-column CSV golden file (header skipped).
func readRef(t testing.TB, name string) [][2]string {
	t.Helper()
	f, err := os.Open(filepath.Join(td, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := make([][2]string, 0, len(rows)-1)
	for _, r := range rows[1:] {
		out = append(out, [2]string{r[0], r[1]})
	}
	return out
}

// projected returns polygons and points in the UTM system of the polygons.
func projected(t testing.TB, polys *Polygons, pts *Points, crs string) (*Polygons, *Points, Projection) {
	t.Helper()
	proj, err := ParseCRS(crs, polys.TotalBounds())
	if err != nil {
		t.Fatal(err)
	}
	return polys.Project(proj), pts.Project(proj), proj
}

// relErr is |a-b| relative to |b|, or absolute below 1 m.
func relErr(a, b float64) float64 {
	return math.Abs(a-b) / max(math.Abs(b), 1)
}

func checkDistances(t *testing.T, ids []string, got []float64, ref [][2]string, tol float64) {
	t.Helper()
	if len(got) != len(ref) {
		t.Fatalf("%d results, reference has %d", len(got), len(ref))
	}
	var worst float64
	exact := 0
	for i, r := range ref {
		if ids[i] != r[0] {
			t.Fatalf("row %d: id %s, reference %s", i, ids[i], r[0])
		}
		want, err := strconv.ParseFloat(r[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		if got[i] == want {
			exact++
		}
		e := relErr(got[i], want)
		worst = max(worst, e)
		if e > tol {
			t.Errorf("%s: got %v, reference %v (rel err %.3g)", r[0], got[i], want, e)
		}
	}
	t.Logf("%d rows, %d bit-exact, worst relative error %.3g", len(ref), exact, worst)
}

func TestKthReference(t *testing.T) {
	dc, err := LoadGeoJSON(filepath.Join(td, "dc_2018.geojson"), GeoJSONOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		polys func(testing.TB) *Polygons
		pts   string
		k     int
		dup   int
		ref   string
		epsg  int
		brute bool
	}{
		{"cook_k3_dup1", cookPolygons, "zips_il.csv", 3, 1, "tracts_cook_il_k3_dup1.csv", 32616, true},
		{"cook_k3_dup100", cookPolygons, "zips_il.csv", 3, 100, "tracts_cook_il_k3_dup100.csv", 32616, false},
		{"il_k3", ilPolygons, "zips_il.csv", 3, 1, "tracts_il_k3.csv", 32616, false},
		{"dc_k5", func(testing.TB) *Polygons { return dc }, "zips_dc_md_va.csv", 5, 1, "tracts_dc_k5.csv", 32618, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			polys, pts, proj := projected(t, tt.polys(t), loadPts(t, tt.pts), "auto")
			if proj.EPSG() != tt.epsg {
				t.Fatalf("auto CRS EPSG:%d, want %d", proj.EPSG(), tt.epsg)
			}
			ref := readRef(t, tt.ref)
			fac := NewFacilities(pts, tt.dup)
			got := make([]float64, polys.Len())
			if err := KthIndex(got, polys, 0, polys.Len(), fac, tt.k); err != nil {
				t.Fatal(err)
			}
			checkDistances(t, polys.IDs, got, ref, 1e-9)
			if !tt.brute {
				return
			}
			// The first 300 polygons keep the race-enabled run short.
			n := min(polys.Len(), 300)
			brute := make([]float64, n)
			if err := KthBrute(brute, polys, 0, n, Repeat(pts, tt.dup), tt.k); err != nil {
				t.Fatal(err)
			}
			for i := range brute {
				if relErr(brute[i], got[i]) > 1e-9 {
					t.Errorf("%s: brute %v, index %v", polys.IDs[i], brute[i], got[i])
				}
			}
		})
	}
}
