package main

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorun-dev/gorun/kernels/geo"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// synth runs the program and returns its exit code and stderr.
func synth(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, errb.String()
}

func TestGolden(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "small")
	if code, msg := synth(t, "--polygons", "12", "--points", "5", "--seed", "7", "--out", prefix); code != 0 {
		t.Fatalf("exit %d: %s", code, msg)
	}
	for _, ext := range []string{".geojson", ".csv"} {
		got, err := os.ReadFile(prefix + ext)
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "small"+ext)
		if *update {
			os.WriteFile(golden, got, 0o644)
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (go test -update to accept)", prefix+ext, golden)
		}
	}
}

// TestRoundTrip reads the files back with the loaders tracts uses and
// checks sizes, determinism, holes and the region.
func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	args := []string{"--polygons", "300", "--points", "1000", "--seed", "3", "--scatter", "--region", "-88,41,-87,42"}
	for _, p := range []string{a, b} {
		if code, msg := synth(t, append(args, "--out", p)...); code != 0 {
			t.Fatalf("exit %d: %s", code, msg)
		}
	}
	for _, ext := range []string{".geojson", ".csv"} {
		x, _ := os.ReadFile(a + ext)
		y, _ := os.ReadFile(b + ext)
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s: two runs with one seed differ (or are empty)", ext)
		}
	}
	polys, err := geo.LoadGeoJSON(a+".geojson", geo.GeoJSONOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if polys.Len() != 300 || polys.IDs[0] != "S0000001" {
		t.Errorf("%d polygons, first %q: want 300, S0000001", polys.Len(), polys.IDs[0])
	}
	holes := 0
	for i := range polys.Len() {
		r0, r1 := polys.Rings(i)
		holes += r1 - r0 - 1
	}
	if holes == 0 || holes > 100 {
		t.Errorf("%d holes in 300 polygons: want about one in ten", holes)
	}
	tb := polys.TotalBounds()
	if tb.MinX < -88 || tb.MaxX > -87 || tb.MinY < 41 || tb.MaxY > 42 {
		t.Errorf("polygon bounds %+v outside the region", tb)
	}
	pts, _, err := geo.LoadPoints(a+".csv", geo.PointOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if pts.Len() != 1000 {
		t.Fatalf("%d points, want 1000", pts.Len())
	}
	for i := range pts.Len() {
		x, y := pts.XY[2*i], pts.XY[2*i+1]
		if x < -88 || x > -87 || y < 41 || y > 42 || math.IsNaN(x) {
			t.Fatalf("point %d (%v,%v) outside the region", i, x, y)
		}
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no out", []string{"--polygons", "3"}, "--out PREFIX is required"},
		{"zero polygons", []string{"--polygons", "0", "--out", "X"}, "--polygons 0"},
		{"negative points", []string{"--points", "-1", "--out", "X"}, "--points -1"},
		{"short region", []string{"--region", "1,2,3", "--out", "X"}, "want MINLON,MINLAT,MAXLON,MAXLAT"},
		{"empty region", []string{"--region", "1,2,1,3", "--out", "X"}, "MINLON < MAXLON"},
		{"bad number", []string{"--region", "1,a,2,3", "--out", "X"}, "value 2: not a number"},
		{"unknown flag", []string{"--nope"}, "unknown flag"},
		{"stray argument", []string{"--out", "X", "extra"}, "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				if a == "X" {
					a = filepath.Join(dir, "x")
				}
				args[i] = a
			}
			code, msg := synth(t, args...)
			if code != 2 || !strings.Contains(msg, tt.want) {
				t.Errorf("exit %d, stderr %q: want 2 and %q", code, msg, tt.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("bad input left %d files", len(entries))
			}
		})
	}
}

func TestUnwritableOutput(t *testing.T) {
	code, msg := synth(t, "--out", filepath.Join(t.TempDir(), "missing", "x"))
	if code != 1 || !strings.Contains(msg, "missing") {
		t.Errorf("exit %d, stderr %q: want 1 naming the directory", code, msg)
	}
}
