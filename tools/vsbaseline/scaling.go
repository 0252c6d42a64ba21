package main

import (
	"context"
	"fmt"
	"math"
)

// scalingTarget: --ranks ranks at least this much faster than one rank.
var scalingTarget = target{Value: 1.8}

// scalingCase is one program of the scaling part; target is nil for a row
// that only informs.
type scalingCase struct {
	workload string
	prog     string
	args     []string
	target   *target
}

// runScaling times the tracts brute force and the larger word count at one
// rank and at --ranks in every mode, and compares each with one rank of
// the same mode. The two are run side by side (alternating), not reused
// from the other workloads: a ratio of runs taken minutes apart measured the
// machine's drift as much as the program.
//
// First it measures the machine's own ceiling (runCeiling), in the same run.
// Last, with --scaling-longer-times, it runs the word count on a larger
// input, without a target: how the speed-up grows once the job is long
// enough that the fixed start-up and teardown weigh little.
func (b *bench) runScaling(ctx context.Context) error {
	if b.cfg.Ranks > 1 {
		b.runCeiling(ctx)
	}
	dir, size, err := b.corpusDir(b.cfg.WCTimes)
	if err != nil {
		return err
	}
	cases := []scalingCase{
		{fmt.Sprintf("scaling tracts dup %d brute", b.cfg.GoDup), "tracts", b.tractsGoArgs("brute"), &scalingTarget},
		{"scaling " + wcWorkload(b.cfg.WCTimes, size), "wordcount", b.wcGoArgs(dir), &scalingTarget},
	}
	if b.cfg.WCLonger > 0 {
		dir, size, err := b.corpusDir(b.cfg.WCLonger)
		if err != nil {
			return err
		}
		cases = append(cases, scalingCase{"scaling " + wcWorkload(b.cfg.WCLonger, size) + ", no target",
			"wordcount", b.wcGoArgs(dir), nil})
	}
	for _, c := range cases {
		for _, mode := range b.cfg.Modes {
			ns := []int{1}
			if b.cfg.Ranks > 1 {
				ns = append(ns, b.cfg.Ranks)
			}
			got := b.gorunSideBySide(ctx, mode, ns, c.prog, c.args...)
			one := got[0]
			oneName := fmt.Sprintf("gorun %s 1", mode)
			b.add(row{Workload: c.workload, Side: oneName, Unit: "s", S: one, Ratio: math.NaN()})
			if b.cfg.Ranks == 1 {
				continue
			}
			s := got[1]
			b.add(row{Workload: c.workload, Side: fmt.Sprintf("gorun %s %d", mode, b.cfg.Ranks), Unit: "s", S: s,
				Baseline: oneName, Ratio: speedup(one, s), Target: c.target})
		}
	}
	return nil
}
