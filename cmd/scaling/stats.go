package main

import (
	"math"
	"slices"
)

// summary is one point of the sweep over its repeats: the medians and
// spreads, and the derived figures of merit.
type summary struct {
	Workload, Scaling, Mode string
	Ranks, Factor, Repeats  int
	Oversubscribed          bool // more ranks than cores

	Time spread // wall seconds

	// Speedup against the same mode at 1 rank: T1/Tn (strong), or the
	// scaled speedup n*T1/Tn (weak: n times the work in Tn). Its spread
	// uses the 1-rank median against each run's min and max time.
	Speedup, SpeedupLo, SpeedupHi float64
	Efficiency                    float64 // Speedup/n
	KarpFlatt                     float64 // experimentally determined serial fraction; NaN at n=1 and for weak scaling
	Amdahl                        float64 // least-squares serial fraction of this workload and mode (same on every row)

	CPUSec  float64 // median
	PeakRSS float64 // median, bytes
	BusIn   float64 // median, bytes
	BusOut  float64 // median, bytes
}

// spread is the median, the quartiles and the range of a sample.
type spread struct{ Median, Q1, Q3, Min, Max float64 }

// newSpread summarises xs (not empty); quartiles interpolate linearly
// between order statistics (numpy's default).
func newSpread(xs []float64) spread {
	s := slices.Clone(xs)
	slices.Sort(s)
	return spread{Median: quantile(s, 0.5), Q1: quantile(s, 0.25), Q3: quantile(s, 0.75), Min: s[0], Max: s[len(s)-1]}
}

func quantile(sorted []float64, q float64) float64 {
	h := q * float64(len(sorted)-1)
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(sorted) {
		return sorted[i]
	}
	return sorted[i] + (h-lo)*(sorted[i+1]-sorted[i])
}

func median(xs []float64) float64 { return newSpread(xs).Median }

// karpFlatt is the serial fraction e = (1/S - 1/n) / (1 - 1/n) that would
// explain speedup S on n processors under Amdahl's law (Karp and Flatt,
// 1990). A rising e with n means overhead grows with the ranks, not a
// fixed serial part.
func karpFlatt(s float64, n int) float64 {
	if n < 2 || s <= 0 {
		return math.NaN()
	}
	return (1/s - 1/float64(n)) / (1 - 1/float64(n))
}

// amdahlFit is the serial fraction f in [0,1] that best fits the relative
// times Tn/T1 = f + (1-f)/n in least squares, over the given rank counts
// (n >= 2 carries the information). NaN without any.
func amdahlFit(ranks []int, rel []float64) float64 {
	var sxy, sxx float64
	for i, n := range ranks {
		if n < 2 {
			continue
		}
		x := 1 - 1/float64(n)
		y := rel[i] - 1/float64(n)
		sxy += x * y
		sxx += x * x
	}
	if sxx == 0 {
		return math.NaN()
	}
	return min(1, max(0, sxy/sxx))
}

// amdahlSpeedup is Amdahl's law: the speedup on n ranks with serial
// fraction f.
func amdahlSpeedup(f float64, n float64) float64 { return 1 / (f + (1-f)/n) }

// summarize groups the runs by point, in the order the points first
// appear, and derives speedup, efficiency, Karp–Flatt and the Amdahl fit,
// which uses only rank counts up to cores (beyond, the ranks share cores
// and Amdahl's model of n processors does not hold).
func summarize(runs []runResult, cores int) []summary {
	type key struct {
		w, s, m string
		n       int
	}
	var order []key
	groups := map[key][]runResult{}
	for _, r := range runs {
		k := key{r.Workload, r.Scaling, r.Mode, r.Ranks}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	var out []summary
	for _, k := range order {
		g := groups[k]
		pick := func(f func(runResult) float64) []float64 {
			xs := make([]float64, len(g))
			for i, r := range g {
				xs[i] = f(r)
			}
			return xs
		}
		out = append(out, summary{Workload: k.w, Scaling: k.s, Mode: k.m, Ranks: k.n, Factor: g[0].Factor,
			Repeats: len(g), Oversubscribed: k.n > cores,
			Time:    newSpread(pick(func(r runResult) float64 { return r.WallSec })),
			CPUSec:  median(pick(func(r runResult) float64 { return r.CPUSec })),
			PeakRSS: median(pick(func(r runResult) float64 { return float64(r.PeakRSS) })),
			BusIn:   median(pick(func(r runResult) float64 { return float64(r.BusIn) })),
			BusOut:  median(pick(func(r runResult) float64 { return float64(r.BusOut) })),
		})
	}
	derive(out, cores)
	return out
}

// derive fills the speedup figures of every series (workload, scaling,
// mode) from its 1-rank point.
func derive(rows []summary, cores int) {
	type series struct{ w, s, m string }
	idx := map[series][]int{}
	var order []series
	for i, r := range rows {
		k := series{r.Workload, r.Scaling, r.Mode}
		if _, ok := idx[k]; !ok {
			order = append(order, k)
		}
		idx[k] = append(idx[k], i)
	}
	for _, k := range order {
		var t1 float64
		for _, i := range idx[k] {
			if rows[i].Ranks == 1 {
				t1 = rows[i].Time.Median
			}
		}
		var fitN []int
		var fitRel []float64
		for _, i := range idx[k] {
			r := &rows[i]
			r.Speedup, r.SpeedupLo, r.SpeedupHi, r.Efficiency, r.KarpFlatt, r.Amdahl = nan, nan, nan, nan, nan, nan
			if t1 == 0 {
				continue
			}
			work := 1.0
			if r.Scaling == "weak" {
				work = float64(r.Ranks)
			}
			r.Speedup = work * t1 / r.Time.Median
			r.SpeedupLo = work * t1 / r.Time.Max
			r.SpeedupHi = work * t1 / r.Time.Min
			r.Efficiency = r.Speedup / float64(r.Ranks)
			if r.Scaling == "strong" {
				r.KarpFlatt = karpFlatt(r.Speedup, r.Ranks)
				if r.Ranks <= cores {
					fitN = append(fitN, r.Ranks)
					fitRel = append(fitRel, r.Time.Median/t1)
				}
			}
		}
		f := amdahlFit(fitN, fitRel)
		for _, i := range idx[k] {
			if rows[i].Scaling == "strong" {
				rows[i].Amdahl = f
			}
		}
	}
}

var nan = math.NaN()
