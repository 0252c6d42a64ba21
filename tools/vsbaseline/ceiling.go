package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// ceilingNote explains the ratio of the machine-ceiling row.
const ceilingNote = "ratio: copies x (one copy alone / the copies at once), the speed-up that many perfectly parallel ranks could reach on this machine now; read the scaling rows against it"

// runCeiling measures what this machine gives --ranks CPU-bound processes
// at once: --ranks copies of the serial pi program (--pi-samples, one
// goroutine rank each, no launcher, no bus) started together, against one
// copy alone, alternating (alone, together, alone, ...) like the scaling
// rows. On a machine with --ranks idle cores the ratio is --ranks; a VM
// whose cores share a host, or a neighbour's load, gives less, and no
// program can scale past it.
func (b *bench) runCeiling(ctx context.Context) {
	n := b.cfg.Ranks
	w := fmt.Sprintf("scaling ceiling, pi %.3g samples", float64(b.cfg.PiSamples))
	pi := filepath.Join(b.cfg.Bin, "pi")
	args := []string{"--samples", strconv.FormatInt(b.cfg.PiSamples, 10)}
	env := []string{"GORUN_MODE=goroutines", "GORUN_SIZE=1"}
	var alone, together []float64
	var err error
	for i := 0; i < b.cfg.Repeats && err == nil; i++ {
		var d done
		if d, err = b.exec(ctx, "pi, 1 copy alone", i, env, pi, args...); err == nil {
			alone = append(alone, d.Wall)
			var wall float64
			wall, err = b.execTogether(ctx, fmt.Sprintf("pi, %d copies at once", n), i, n, env, pi, args...)
			together = append(together, wall)
		}
	}
	one, all := summarize(alone), summarize(together)
	if err != nil {
		b.fail = true
		one, all = sample{Err: err}, sample{Err: err}
	}
	b.add(row{Workload: w, Side: "1 copy alone", Unit: "s", S: one, Ratio: math.NaN()})
	b.add(row{Workload: w, Side: fmt.Sprintf("%d copies at once", n), Unit: "s", S: all,
		Baseline: "1 copy alone", Ratio: float64(n) * speedup(one, all), Note: ceilingNote})
}

// execTogether starts n copies of one command at once and returns the wall
// time until the last one exits; a failure of any copy is the error.
func (b *bench) execTogether(ctx context.Context, label string, i, n int, env []string, name string, args ...string) (float64, error) {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := time.Now()
	for k := range n {
		wg.Go(func() { _, errs[k] = b.exec(ctx, fmt.Sprintf("%s (copy %d)", label, k+1), i, env, name, args...) })
	}
	wg.Wait()
	wall := time.Since(start).Seconds()
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return wall, nil
}
