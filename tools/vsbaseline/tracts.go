package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
)

// The tracts workload: Cook County tracts (COUNTYFP 031) against the
// Illinois ZIP centroids duplicated D times, k = 3.
const (
	tractsFile  = "tracts/il_2018.geojson"
	pointsFile  = "points/us_zipcodes.csv"
	tractsK     = "3"
	tractsLabel = "Cook tracts x IL ZIPs"
)

// Targets of the tracts workload against seed_tracts.py --procs 2.
var (
	tractsIndexTarget = target{Value: 1000}
	tractsBruteTarget = target{Value: 20}
)

// tractsGoArgs are cmd/tracts' arguments for method at --go-dup.
func (b *bench) tractsGoArgs(method string) []string {
	return []string{"--tracts", filepath.Join(b.cfg.Data, tractsFile), "--filter", "COUNTYFP=031",
		"--points", filepath.Join(b.cfg.Data, pointsFile), "--point-filter", "state=IL",
		"--dup", strconv.Itoa(b.cfg.GoDup), "--k", tractsK, "--method", method,
		"--out", filepath.Join(b.tmp, "tracts.csv")}
}

// tractsPython times seed_tracts.py with procs processes (0: serial) at
// --dup, and returns the sample scaled to --go-dup (the brute force is
// linear in dup) with the name to compare against.
func (b *bench) tractsPython(ctx context.Context, procs int, side string) (sample, string) {
	c := b.cfg
	s := b.python(ctx, "seed_tracts.py", "--tracts", filepath.Join(c.Data, tractsFile),
		"--points", filepath.Join(c.Data, pointsFile), "--state", "IL", "--county", "031",
		"--dup", strconv.Itoa(c.Dup), "--k", tractsK, "--procs", strconv.Itoa(procs))
	w := fmt.Sprintf("tracts dup %d", c.Dup)
	b.add(row{Workload: w, Side: side, Unit: "s", S: s, Ratio: math.NaN()})
	if c.Dup == c.GoDup {
		return s, fmt.Sprintf("%s dup %d", side, c.GoDup)
	}
	f := float64(c.GoDup) / float64(c.Dup)
	name := fmt.Sprintf("%s dup %d (extrapolated)", side, c.GoDup)
	if s.Err != nil { // one "not available" row is enough
		return s, name
	}
	b.add(row{Workload: fmt.Sprintf("tracts dup %d", c.GoDup), Side: name, Unit: "s", S: s.scaled(f), Ratio: math.NaN(),
		Note: fmt.Sprintf("EXTRAPOLATED, not measured: dup %d time x %g (the brute force is linear in dup)", c.Dup, f)})
	return s.scaled(f), name
}

// runTracts times the Python brute force (serial and Pool(2)) and the Go
// program with both methods in every mode at --ranks, and compares the Go
// sides with the Pool(2) time at the Go side's dup.
func (b *bench) runTracts(ctx context.Context) {
	b.tractsPython(ctx, 0, "python serial")
	pool, poolName := b.tractsPython(ctx, 2, "python pool2")
	for _, m := range []struct {
		method string
		t      target
	}{{"index", tractsIndexTarget}, {"brute", tractsBruteTarget}} {
		w := fmt.Sprintf("tracts dup %d %s", b.cfg.GoDup, m.method)
		for _, mode := range b.cfg.Modes {
			s := b.gorun(ctx, mode, b.cfg.Ranks, "tracts", b.tractsGoArgs(m.method)...)
			t := m.t
			b.add(row{Workload: w, Side: fmt.Sprintf("gorun %s %d", mode, b.cfg.Ranks), Unit: "s", S: s,
				Baseline: poolName, Ratio: speedup(pool, s), Target: &t})
		}
	}
}

// speedup is base/s by medians, NaN when either is missing.
func speedup(base, s sample) float64 {
	if base.Err != nil || s.Err != nil || s.Median <= 0 {
		return math.NaN()
	}
	return base.Median / s.Median
}
