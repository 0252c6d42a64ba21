package main

import (
	"context"
	"fmt"
	"math"
	"strconv"
)

// piTarget is the goal against seed_pi.py with Pool(2).
var piTarget = target{Value: 30}

// runPi times seed_pi.py (serial and Pool(2), 10 tasks, as the lecture)
// and the Go program in every mode, on --pi-samples samples.
func (b *bench) runPi(ctx context.Context) {
	n := strconv.FormatInt(b.cfg.PiSamples, 10)
	w := fmt.Sprintf("pi %.3g samples", float64(b.cfg.PiSamples))
	var pool sample
	for _, procs := range []int{0, 2} {
		s := b.python(ctx, "seed_pi.py", "--n", n, "--tasks", "10", "--procs", strconv.Itoa(procs), "--seed", "1")
		side := "python serial"
		if procs > 0 {
			side, pool = "python pool2", s
		}
		b.add(row{Workload: w, Side: side, Unit: "s", S: s, Ratio: math.NaN()})
	}
	for _, mode := range b.cfg.Modes {
		s := b.gorun(ctx, mode, b.cfg.Ranks, "pi", "--samples", n)
		t := piTarget
		b.add(row{Workload: w, Side: fmt.Sprintf("gorun %s %d", mode, b.cfg.Ranks), Unit: "s", S: s,
			Baseline: "python pool2", Ratio: speedup(pool, s), Target: &t})
	}
}
