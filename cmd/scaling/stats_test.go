package main

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestSpread(t *testing.T) {
	tests := []struct {
		name string
		xs   []float64
		want spread
	}{
		{"one", []float64{2}, spread{2, 2, 2, 2, 2}},
		{"odd", []float64{3, 1, 2}, spread{2, 1.5, 2.5, 1, 3}},
		{"even", []float64{4, 1, 3, 2}, spread{2.5, 1.75, 3.25, 1, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := newSpread(tt.xs); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestKarpFlatt(t *testing.T) {
	tests := []struct {
		name string
		s    float64
		n    int
		want float64
	}{
		{"ideal speedup: no serial part", 4, 4, 0},
		{"no speedup: all serial", 1, 8, 1},
		{"Amdahl f=0.1 at 4", 1 / (0.1 + 0.9/4), 4, 0.1},
		{"superlinear: negative", 3, 2, -1.0 / 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := karpFlatt(tt.s, tt.n); !near(got, tt.want) {
				t.Errorf("karpFlatt(%v, %d) = %v, want %v", tt.s, tt.n, got, tt.want)
			}
		})
	}
	if !math.IsNaN(karpFlatt(1, 1)) {
		t.Error("karpFlatt at n=1 must be NaN (undefined)")
	}
}

func TestAmdahlFit(t *testing.T) {
	ranks := []int{1, 2, 4, 8}
	rel := func(f float64) []float64 {
		out := make([]float64, len(ranks))
		for i, n := range ranks {
			out[i] = f + (1-f)/float64(n)
		}
		return out
	}
	tests := []struct {
		name string
		rel  []float64
		want float64
	}{
		{"exact f=0.2", rel(0.2), 0.2},
		{"perfect scaling", rel(0), 0},
		{"slower with ranks: clamped to 1", []float64{1, 1.5, 2, 3}, 1},
		{"faster than ideal: clamped to 0", []float64{1, 0.4, 0.2, 0.1}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := amdahlFit(ranks, tt.rel); !near(got, tt.want) {
				t.Errorf("fit = %v, want %v", got, tt.want)
			}
		})
	}
	if !math.IsNaN(amdahlFit([]int{1}, []float64{1})) {
		t.Error("a fit from 1 rank alone must be NaN")
	}
}

func TestSummarize(t *testing.T) {
	var runs []runResult
	add := func(s, m string, n int, secs ...float64) {
		for i, x := range secs {
			runs = append(runs, runResult{Workload: "w", Scaling: s, Mode: m, Ranks: n, Factor: n, Repeat: i + 1, WallSec: x, PeakRSS: int64(n) << 20})
		}
	}
	add("strong", "processes", 1, 8, 9, 7)
	add("strong", "processes", 2, 5, 4, 6)
	add("strong", "processes", 4, 4, 4, 4)
	add("weak", "goroutines", 1, 2, 2, 2)
	add("weak", "goroutines", 4, 4, 4, 4)
	rows := summarize(runs, 2)
	if len(rows) != 5 {
		t.Fatalf("%d rows, want 5", len(rows))
	}
	tests := []struct {
		name                          string
		row                           summary
		speedup, eff, kf, lo, hi, rss float64
		over                          bool
	}{
		{"strong 1", rows[0], 1, 1, math.NaN(), 8.0 / 9, 8.0 / 7, 1 << 20, false},
		{"strong 2", rows[1], 1.6, 0.8, 0.25, 8.0 / 6, 2, 2 << 20, false},
		{"strong 4 oversubscribed", rows[2], 2, 0.5, 1.0 / 3, 2, 2, 4 << 20, true},
		{"weak 1", rows[3], 1, 1, math.NaN(), 1, 1, 1 << 20, false},
		{"weak 4: scaled speedup", rows[4], 2, 0.5, math.NaN(), 2, 2, 4 << 20, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.row
			if !near(r.Speedup, tt.speedup) || !near(r.Efficiency, tt.eff) || !near(r.SpeedupLo, tt.lo) || !near(r.SpeedupHi, tt.hi) {
				t.Errorf("speedup %v [%v, %v], efficiency %v; want %v [%v, %v], %v", r.Speedup, r.SpeedupLo, r.SpeedupHi, r.Efficiency, tt.speedup, tt.lo, tt.hi, tt.eff)
			}
			if math.IsNaN(tt.kf) != math.IsNaN(r.KarpFlatt) || (!math.IsNaN(tt.kf) && !near(r.KarpFlatt, tt.kf)) {
				t.Errorf("Karp-Flatt %v, want %v", r.KarpFlatt, tt.kf)
			}
			if r.Oversubscribed != tt.over || r.PeakRSS != tt.rss || r.Repeats != 3 {
				t.Errorf("oversubscribed %v, rss %v, repeats %d; want %v, %v, 3", r.Oversubscribed, r.PeakRSS, r.Repeats, tt.over, tt.rss)
			}
		})
	}
	// The Amdahl fit uses n <= cores only: T2/T1 = 5/8 = f + (1-f)/2 -> f = 0.25.
	if !near(rows[0].Amdahl, 0.25) || !near(rows[2].Amdahl, 0.25) || !math.IsNaN(rows[4].Amdahl) {
		t.Errorf("Amdahl fits %v, %v (want 0.25) and weak %v (want NaN)", rows[0].Amdahl, rows[2].Amdahl, rows[4].Amdahl)
	}
}
