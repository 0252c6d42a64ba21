package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
)

const td = "../../testdata/geo"

// lockedBuffer is rank 0's stdout in a goroutine world.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// runWorld runs sjoin on n goroutine ranks and returns its stdout.
func runWorld(t *testing.T, n int, cfg config) ([]byte, error) {
	t.Helper()
	var out, errOut lockedBuffer
	cfg.Stdout, cfg.Stderr = &out, &errOut
	if cfg.Load == "" {
		cfg.Load = "root"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err := comm.Run(ctx, n, func(ctx context.Context, c *comm.Comm) error { return run(ctx, c, cfg) })
	if errOut.b.Len() > 0 {
		t.Log(strings.TrimSpace(errOut.b.String()))
	}
	return out.b.Bytes(), err
}

func golden(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(td, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRunGolden(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the 3.2 MB Illinois file")
	}
	il := filepath.Join(td, "il_2018.geojson")
	tests := []struct {
		name     string
		n        int
		points   string
		separate bool
		want     string
	}{
		{"zips/ranks=1", 1, "zips_il.csv", false, "pip_il.csv"},
		{"zips/ranks=2", 2, "zips_il.csv", false, "pip_il.csv"},
		{"zips/ranks=3", 3, "zips_il.csv", false, "pip_il.csv"},
		{"edges/ranks=4", 4, "pip_il_edge_points.csv", false, "pip_il_edge.csv"},
		{"zips/ranks=2/bcast", 2, "zips_il.csv", true, "pip_il.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := runWorld(t, tt.n, config{Polygons: il, Points: filepath.Join(td, tt.points), separate: tt.separate})
			if err != nil {
				t.Fatal(err)
			}
			if want := golden(t, tt.want); !bytes.Equal(got, want) {
				t.Errorf("output (%d bytes) differs from %s (%d bytes)", len(got), tt.want, len(want))
			}
		})
	}
}

// TestRunRanksAndLoads checks that every rank count and load mode gives the
// one-rank answer (DC tracts x DC/MD/VA ZIPs, mostly outside).
func TestRunRanksAndLoads(t *testing.T) {
	base := config{Polygons: filepath.Join(td, "dc_2018.geojson"), Points: filepath.Join(td, "zips_dc_md_va.csv"), Verbose: true}
	want, err := runWorld(t, 1, base)
	if err != nil {
		t.Fatal(err)
	}
	if lines := bytes.Count(want, []byte("\n")); lines != 2145 || !bytes.HasPrefix(want, []byte("zip_code,GEOID\n")) {
		t.Fatalf("one-rank output: %d lines, starts %q", lines, want[:min(len(want), 30)])
	}
	if inside := bytes.Count(want, []byte(",11001")); inside < 50 {
		t.Fatalf("only %d points inside DC tracts", inside)
	}
	for _, n := range []int{2, 3, 5} {
		for _, mode := range []string{"shared", "root", "all"} {
			t.Run(fmt.Sprintf("ranks=%d/%s", n, mode), func(t *testing.T) {
				cfg := base
				cfg.separate = mode != "shared"
				if mode == "all" {
					cfg.Load = "all"
				}
				got, err := runWorld(t, n, cfg)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("output differs from the one-rank run")
				}
			})
		}
	}
}

func TestRunBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var csv strings.Builder
	csv.WriteString("zip_code,latitude,longitude\n")
	for i := range 200 {
		lat := "38.9"
		if i == 150 {
			lat = "38.9x"
		}
		fmt.Fprintf(&csv, "%05d,%s,-77.0\n", i, lat)
	}
	badCSV := write("bad.csv", csv.String())
	badJSON := write("bad.geojson", "{\"type\":\"FeatureCollection\",\n\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}}]}")
	utf := write("utf.csv", "zip_code,latitude,longitude\n1,38.9,-77\n\xff\xfe,38.9,-77\n")
	tests := []struct {
		name   string
		mutate func(*config)
		want   []string
	}{
		{"missing_points", func(c *config) { c.Points = filepath.Join(dir, "nope.csv") }, []string{"nope.csv"}},
		{"missing_polygons", func(c *config) { c.Polygons = filepath.Join(dir, "nope.geojson") }, []string{"nope.geojson"}},
		{"unsupported_geometry", func(c *config) { c.Polygons = badJSON }, []string{"bad.geojson", "feature 0"}},
		{"non_numeric_late_line", func(c *config) { c.Points = badCSV }, []string{"bad.csv", "line 152", "latitude", "38.9x"}},
		{"invalid_utf8", func(c *config) { c.Points = utf }, []string{"utf.csv", "line 3", "UTF-8"}},
		{"bad_point_id", func(c *config) { c.PointID = "zip" }, []string{"line 1", "no id column"}},
	}
	for _, tt := range tests {
		for _, n := range []int{1, 3} {
			t.Run(fmt.Sprintf("%s/ranks=%d", tt.name, n), func(t *testing.T) {
				cfg := config{Polygons: filepath.Join(td, "dc_2018.geojson"), Points: filepath.Join(td, "zips_dc_md_va.csv"),
					Out: filepath.Join(dir, "out.csv"), separate: n == 3}
				tt.mutate(&cfg)
				_, err := runWorld(t, n, cfg)
				var ee *comm.ExitError
				if !errors.As(err, &ee) || ee.Code != 2 {
					t.Fatalf("error %v, want an exit status 2", err)
				}
				for _, w := range tt.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %q", err, w)
					}
				}
				if _, err := os.Stat(cfg.Out); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("output file exists after bad input (%v)", err)
				}
			})
		}
	}
}

// An --out that is an input is refused with exit status 2 before any work,
// and the input is left as it was.
func TestRunOutputIsInput(t *testing.T) {
	dir := t.TempDir()
	points := golden(t, "zips_dc_md_va.csv")
	p := filepath.Join(dir, "p.csv")
	os.WriteFile(p, points, 0o644)
	cfg := config{Polygons: filepath.Join(td, "dc_2018.geojson"), Points: p, Out: p}
	_, err := runWorld(t, 2, cfg)
	if ee, ok := errors.AsType[*comm.ExitError](err); !ok || ee.Code != 2 || !strings.Contains(err.Error(), "--out "+p+" is the input "+p) {
		t.Fatalf("error %v, want exit status 2 naming --out %s as the input", err, p)
	}
	if b, _ := os.ReadFile(p); !bytes.Equal(b, points) {
		t.Fatalf("the input %s changed", p)
	}
}
