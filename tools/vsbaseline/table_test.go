package main

import (
	"bytes"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestSummarize(t *testing.T) {
	tests := []struct {
		name             string
		in               []float64
		median, min, max float64
	}{
		{"one", []float64{2}, 2, 2, 2},
		{"odd unsorted", []float64{3, 1, 2}, 2, 1, 3},
		{"even", []float64{4, 1, 3, 2}, 2.5, 1, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := summarize(tt.in)
			if s.Err != nil || s.Runs != len(tt.in) || s.Median != tt.median || s.Min != tt.min || s.Max != tt.max {
				t.Errorf("summarize(%v) = %+v, want median %g min %g max %g", tt.in, s, tt.median, tt.min, tt.max)
			}
		})
	}
	if s := summarize(nil); s.Err == nil {
		t.Error("summarize(nil) has no error")
	}
}

func TestMet(t *testing.T) {
	at := func(v float64) *target { return &target{Value: v} }
	tests := []struct {
		name string
		r    row
		want string
	}{
		{"no target", row{Ratio: 5}, ""},
		{"speed-up met", row{Ratio: 30, Target: at(30)}, "yes"},
		{"speed-up missed", row{Ratio: 29.9, Target: at(30)}, "no"},
		{"memory met", row{Ratio: 1.2, Target: &target{Value: 1.3, AtMost: true}}, "yes"},
		{"memory missed", row{Ratio: 1.4, Target: &target{Value: 1.3, AtMost: true}}, "no"},
		{"baseline missing", row{Ratio: math.NaN(), Target: at(2)}, "n/a"},
		{"side missing", row{Ratio: 3, S: sample{Err: errors.New("x")}, Target: at(2)}, "n/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.met(); got != tt.want {
				t.Errorf("met() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFmtNum(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{{0, "0"}, {0.012345, "0.0123"}, {1.8, "1.8"}, {290.46, "290"}, {2417.6, "2418"}, {math.NaN(), ""}}
	for _, tt := range tests {
		if got := fmtNum(tt.in); got != tt.want {
			t.Errorf("fmtNum(%g) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// goldenRows cover every kind of row: measured, extrapolated, compared,
// missing and memory.
func goldenRows() []row {
	nan := math.NaN()
	pool := sample{Runs: 3, Median: 3.24, Min: 3.1, Max: 3.5}
	gorun := sample{Runs: 3, Median: 0.12, Min: 0.11, Max: 0.2}
	return []row{
		{Workload: "tracts dup 1", Side: "python pool2", Unit: "s", S: pool, Ratio: nan},
		{Workload: "tracts dup 100", Side: "python pool2 dup 100 (extrapolated)", Unit: "s", S: pool.scaled(100), Ratio: nan,
			Note: "EXTRAPOLATED, not measured: dup 1 time x 100"},
		{Workload: "tracts dup 100", Side: "python serial dup 100 (extrapolated)", Unit: "s", S: pool.scaled(200), Ratio: nan,
			Note: "EXTRAPOLATED, not measured: dup 1 time x 100"},
		{Workload: "tracts dup 100 index", Side: "gorun processes 2", Unit: "s", S: gorun,
			Baseline: "python pool2 dup 100 (extrapolated)", Ratio: speedup(pool.scaled(100), gorun), Target: &tractsIndexTarget},
		{Workload: "pi 1e+08 samples", Side: "python pool2", Unit: "s", S: sample{Err: errors.New("no python interpreter (--python)")}, Ratio: nan},
		{Workload: "pi 1e+08 samples", Side: "gorun goroutines 2", Unit: "s", S: gorun,
			Baseline: "python pool2", Ratio: nan, Target: &piTarget},
		{Workload: "memory tracts dup 100 index", Side: "goroutines 8 (peak RSS)", Unit: "MiB", S: sample{Runs: 1, Median: 60, Min: 60, Max: 60},
			Baseline: "goroutines 1 (peak RSS)", Ratio: 1.25, Target: &memTarget},
	}
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		write func(*bytes.Buffer) error
	}{
		{"table", "table.golden", func(b *bytes.Buffer) error { return writeTable(b, goldenRows()) }},
		{"csv", "table.csv", func(b *bytes.Buffer) error { return writeCSV(b, goldenRows()) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got bytes.Buffer
			if err := tt.write(&got); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("output differs from %s (go test -update rewrites it):\n%s", path, got.String())
			}
		})
	}
}
