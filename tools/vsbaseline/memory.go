package main

import (
	"context"
	"fmt"
	"math"
	"strings"
)

// memTarget: --memory-ranks goroutine ranks use at most this much more
// peak memory than one.
var memTarget = target{Value: 1.3, AtMost: true}

// runMemory measures the tracts program's peak resident set (index method,
// --go-dup): as one and as --memory-ranks goroutine ranks in one process
// (wait4's maxrss), and, for contrast, as --memory-ranks process ranks under
// gorun --monitor (each rank's VmHWM: the largest rank and the sum).
func (b *bench) runMemory(ctx context.Context) {
	n := b.cfg.MemRanks
	args := b.tractsGoArgs("index")
	w := fmt.Sprintf("memory tracts dup %d index", b.cfg.GoDup)
	one := b.peakRSS(ctx, 1, "tracts", args...)
	b.add(row{Workload: w, Side: "goroutines 1 (peak RSS)", Unit: "MiB", S: one, Ratio: math.NaN()})
	many := b.peakRSS(ctx, n, "tracts", args...)
	t := memTarget
	b.add(row{Workload: w, Side: fmt.Sprintf("goroutines %d (peak RSS)", n), Unit: "MiB", S: many,
		Baseline: "goroutines 1 (peak RSS)", Ratio: ratio(many, one), Target: &t})

	runs, err := b.rankRSS(ctx, n, "tracts", args...)
	if err != nil {
		b.add(row{Workload: w, Side: fmt.Sprintf("processes %d", n), Unit: "MiB", S: sample{Err: err}, Ratio: math.NaN()})
		return
	}
	var largest, sum []float64
	for _, per := range runs {
		l, s := 0.0, 0.0
		for _, v := range per {
			l, s = math.Max(l, v), s+v
		}
		largest, sum = append(largest, l), append(sum, s)
	}
	last := make([]string, len(runs[len(runs)-1]))
	for r, v := range runs[len(runs)-1] {
		last[r] = fmt.Sprintf("%d:%.0f", r, v)
	}
	sl, ss := summarize(largest), summarize(sum)
	b.add(row{Workload: w, Side: fmt.Sprintf("processes %d (largest rank peak RSS)", n), Unit: "MiB", S: sl,
		Baseline: "goroutines 1 (peak RSS)", Ratio: ratio(sl, one),
		Note: "per rank, last run, MiB (rank:VmHWM): " + strings.Join(last, " ")})
	b.add(row{Workload: w, Side: fmt.Sprintf("processes %d (sum of ranks' peak RSS)", n), Unit: "MiB", S: ss,
		Baseline: "goroutines 1 (peak RSS)", Ratio: ratio(ss, one)})
}

// ratio is s/base by medians, NaN when either is missing.
func ratio(s, base sample) float64 {
	if base.Err != nil || s.Err != nil || base.Median <= 0 {
		return math.NaN()
	}
	return s.Median / base.Median
}
