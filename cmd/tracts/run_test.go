package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
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

// runWorld runs tracts on n goroutine ranks and returns its stdout.
func runWorld(t *testing.T, n int, cfg config) ([]byte, error) {
	t.Helper()
	var out, errOut lockedBuffer
	cfg.Stdout, cfg.Stderr = &out, &errOut
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := comm.Run(ctx, n, func(ctx context.Context, c *comm.Comm) error { return run(ctx, c, cfg) })
	if errOut.b.Len() > 0 {
		t.Log(strings.TrimSpace(errOut.b.String()))
	}
	return out.b.Bytes(), err
}

func dcConfig() config {
	return config{Tracts: filepath.Join(td, "dc_2018.geojson"), Points: filepath.Join(td, "zips_dc_md_va.csv"),
		K: 5, Dup: 1, Method: "index", Schedule: "static", CRS: "auto", ID: "GEOID", Load: "root"}
}

func cookConfig() config {
	return config{Tracts: filepath.Join(td, "il_2018.geojson"), Filter: "COUNTYFP=031", Points: filepath.Join(td, "zips_il.csv"),
		K: 3, Dup: 100, Method: "index", Schedule: "static", CRS: "auto", ID: "GEOID", Load: "root"}
}

// compareCSV checks a GEOID,distance_m output against a golden file: same
// header and ids in order, distances within 1e-9 relative (1e-9 m near 0).
func compareCSV(t *testing.T, got []byte, golden string) {
	t.Helper()
	want, err := os.ReadFile(filepath.Join(td, golden))
	if err != nil {
		t.Fatal(err)
	}
	g, err := csv.NewReader(bytes.NewReader(got)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v", err)
	}
	w, _ := csv.NewReader(bytes.NewReader(want)).ReadAll()
	if len(g) != len(w) {
		t.Fatalf("%d lines, %s has %d", len(g), golden, len(w))
	}
	if g[0][0] != "GEOID" || g[0][1] != "distance_m" {
		t.Fatalf("header %v", g[0])
	}
	for i := 1; i < len(w); i++ {
		gv, err1 := strconv.ParseFloat(g[i][1], 64)
		wv, _ := strconv.ParseFloat(w[i][1], 64)
		if g[i][0] != w[i][0] || err1 != nil || math.Abs(gv-wv) > 1e-9*max(math.Abs(wv), 1) {
			t.Fatalf("line %d: got %v, %s has %v", i+1, g[i], golden, w[i])
		}
	}
}

func TestRunGolden(t *testing.T) {
	for _, n := range []int{1, 2, 3} {
		for _, method := range []string{"index", "brute"} {
			for _, sched := range []string{"static", "dynamic"} {
				t.Run(fmt.Sprintf("dc/ranks=%d/%s/%s", n, method, sched), func(t *testing.T) {
					cfg := dcConfig()
					cfg.Method, cfg.Schedule, cfg.Chunk = method, sched, 7
					got, err := runWorld(t, n, cfg)
					if err != nil {
						t.Fatal(err)
					}
					compareCSV(t, got, "tracts_dc_k5.csv")
				})
			}
		}
	}
}

// TestRunLoadModes runs the process-world paths (broadcast of the binary
// form, every rank reading) on goroutine ranks.
func TestRunLoadModes(t *testing.T) {
	for _, load := range []string{"root", "all"} {
		for _, n := range []int{2, 3} {
			t.Run(fmt.Sprintf("%s/ranks=%d", load, n), func(t *testing.T) {
				cfg := dcConfig()
				cfg.Load, cfg.separate, cfg.Verbose = load, true, true
				got, err := runWorld(t, n, cfg)
				if err != nil {
					t.Fatal(err)
				}
				compareCSV(t, got, "tracts_dc_k5.csv")
			})
		}
	}
}

func TestRunCook(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the 3.2 MB Illinois file")
	}
	tests := []struct {
		name   string
		n      int
		mutate func(*config)
		golden string
	}{
		{"dup100/index/static/shared", 2, func(*config) {}, "tracts_cook_il_k3_dup100.csv"},
		{"dup1/index/dynamic/bcast", 3, func(c *config) { c.Dup, c.Schedule, c.separate = 1, "dynamic", true }, "tracts_cook_il_k3_dup1.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := cookConfig()
			tt.mutate(&cfg)
			got, err := runWorld(t, tt.n, cfg)
			if err != nil {
				t.Fatal(err)
			}
			compareCSV(t, got, tt.golden)
		})
	}
}

func TestRunOutFile(t *testing.T) {
	cfg := dcConfig()
	cfg.Out = filepath.Join(t.TempDir(), "out.csv")
	if _, err := runWorld(t, 2, cfg); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(cfg.Out)
	if err != nil {
		t.Fatal(err)
	}
	compareCSV(t, got, "tracts_dc_k5.csv")
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(cfg.Out), ".*tmp*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
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
	badJSON := write("bad.geojson", "{\"type\":\"FeatureCollection\",\n\"features\":[{")
	badCSV := write("bad.csv", "zip_code,latitude,longitude\n1,38.9,-77.0\n2,north,-77.0\n")
	tests := []struct {
		name   string
		mutate func(*config)
		want   []string
	}{
		{"missing_tracts", func(c *config) { c.Tracts = filepath.Join(dir, "nope.geojson") }, []string{"nope.geojson"}},
		{"malformed_geojson", func(c *config) { c.Tracts = badJSON }, []string{"bad.geojson", "line 2"}},
		{"non_numeric", func(c *config) { c.Points = badCSV }, []string{"bad.csv", "line 3", "latitude"}},
		{"k_too_big", func(c *config) { c.K = 1 << 30 }, []string{"--k"}},
		{"filter_empty", func(c *config) { c.Filter = "COUNTYFP=999" }, []string{"no polygons"}},
		{"bad_method", func(c *config) { c.Method = "fast" }, []string{"--method"}},
	}
	for _, tt := range tests {
		for _, sep := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/separate=%v", tt.name, sep), func(t *testing.T) {
				cfg := dcConfig()
				cfg.Out = filepath.Join(dir, "out.csv")
				cfg.separate = sep
				tt.mutate(&cfg)
				_, err := runWorld(t, 2, cfg)
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

// TestRunSynthetic checks that synthetic inputs give the same answer on
// every rank count, schedule and method.
func TestRunSynthetic(t *testing.T) {
	base := config{Tracts: "synth:200:7", Points: "synth:300:7", K: 4, Dup: 3, Method: "index", Schedule: "static", CRS: "auto", Load: "root"}
	want, err := runWorld(t, 1, base)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(want, []byte("\n")); n != 201 {
		t.Fatalf("%d lines, want 201", n)
	}
	for _, tt := range []struct {
		n             int
		method, sched string
	}{{2, "brute", "dynamic"}, {3, "index", "dynamic"}, {3, "brute", "static"}} {
		t.Run(fmt.Sprintf("ranks=%d/%s/%s", tt.n, tt.method, tt.sched), func(t *testing.T) {
			cfg := base
			cfg.Method, cfg.Schedule = tt.method, tt.sched
			got, err := runWorld(t, tt.n, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Error("output differs from the one-rank index run")
			}
		})
	}
	if _, err := runWorld(t, 1, config{Tracts: "synth:0", Points: "synth:3", K: 1, Dup: 1, Method: "index", Schedule: "static", Load: "root"}); err == nil {
		t.Error("synth:0 accepted")
	}
}

// An --out that is an input, or whose directory is missing, is refused with
// exit status 2 before any work, and the input is left as it was.
func TestRunOutputRefused(t *testing.T) {
	dir := t.TempDir()
	points, err := os.ReadFile(filepath.Join(td, "zips_dc_md_va.csv"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "p.csv")
	os.WriteFile(p, points, 0o644)
	link := filepath.Join(dir, "link.csv")
	os.Symlink("p.csv", link)
	tests := []struct {
		name, points, out, want string
	}{
		{"out is the points", p, p, "is the input " + p},
		{"out links to the points", p, link, "is the input " + p},
		{"missing directory", p, filepath.Join(dir, "nodir", "out.csv"), "does not exist"},
		// checked before the inputs are read: a malformed input is not reported
		{"missing directory, malformed points", filepath.Join(td, "..", "text", "golden.tsv"), filepath.Join(dir, "nodir", "out.csv"), "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := dcConfig()
			cfg.Points, cfg.Out = tt.points, tt.out
			_, err := runWorld(t, 2, cfg)
			if ee, ok := errors.AsType[*comm.ExitError](err); !ok || ee.Code != 2 || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.out) {
				t.Fatalf("error %v, want exit status 2 naming %s with %q", err, tt.out, tt.want)
			}
			if b, _ := os.ReadFile(p); !bytes.Equal(b, points) {
				t.Fatalf("the input %s changed", p)
			}
		})
	}
}
