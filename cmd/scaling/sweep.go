package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gorun-dev/gorun/launcher/monitor"
)

// run is one timed run of one workload.
type runResult struct {
	Workload string
	Scaling  string // "strong" or "weak"
	Mode     string
	Ranks    int
	Factor   int // the value of {n}
	Repeat   int // 1..R
	WallSec  float64
	CPUSec   float64 // user+system of gorun and every rank (wait4 rusage)
	PeakRSS  int64   // sum of the ranks' peak RSS (the monitor's VmHWM)
	BusIn    int64   // bytes the launcher read: published to the bus, plus forwarded output
	BusOut   int64   // bytes the launcher wrote: delivered by the bus, plus forwarded output
}

// point is one cell of the sweep: a workload, scaling, mode and rank count.
type point struct {
	w       workload
	scaling string
	mode    string
	ranks   int
}

// factor is the value of {n} at this point.
func (p point) factor(cfg *config) int {
	if p.scaling == "weak" {
		return p.ranks
	}
	return cfg.StrongFactor
}

// sweep runs every point Repeat times (see rounds).
func sweep(ctx context.Context, cfg *config, log io.Writer) ([]runResult, error) {
	var points []point
	for _, w := range cfg.Workloads {
		for _, s := range cfg.Scalings {
			for _, m := range cfg.Modes {
				for _, n := range cfg.Ranks {
					points = append(points, point{w, s, m, n})
				}
			}
		}
	}
	var warm []point
	if cfg.Warmup {
		for _, w := range cfg.Workloads {
			warm = append(warm, point{w, "strong", cfg.Modes[0], 1})
		}
	}
	return rounds(cfg, log, points, warm, func(p point, rep int, tmp string) (runResult, error) {
		return runOne(ctx, cfg, p, rep, tmp)
	}, func(p point, r runResult) string {
		return fmt.Sprintf("%s %s %s n=%d: %.3fs", p.w.Name, p.scaling, p.mode, p.ranks, r.WallSec)
	})
}

// rounds runs warm once each, then every point cfg.Repeat times, rounds
// outermost, so that a slow spell of a shared machine spreads over all
// points instead of one; it logs each run as label gives it. run gets
// the repeat (0 for warm) and a temporary directory in cfg.Out, removed
// at the end.
func rounds[P, R any](cfg *config, log io.Writer, points, warm []P,
	run func(p P, rep int, tmp string) (R, error), label func(P, R) string) ([]R, error) {
	tmp, err := os.MkdirTemp(cfg.Out, ".scaling-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	for _, p := range warm {
		if _, err := run(p, 0, tmp); err != nil {
			return nil, err
		}
	}
	var out []R
	t0 := time.Now()
	for r := 1; r <= cfg.Repeat; r++ {
		for i, p := range points {
			res, err := run(p, r, tmp)
			if err != nil {
				return nil, err
			}
			out = append(out, res)
			fmt.Fprintf(log, "scaling: [%d/%d] %s (%.0fs so far)\n",
				(r-1)*len(points)+i+1, cfg.Repeat*len(points), label(p, res), time.Since(t0).Seconds())
		}
	}
	return out, nil
}

// runOne runs gorun once at point p and reads its monitor summary.
func runOne(ctx context.Context, cfg *config, p point, rep int, tmp string) (runResult, error) {
	args, err := p.w.expand(p.factor(cfg), tmp)
	if err != nil {
		return runResult{}, err
	}
	flags := []string{"-n", strconv.Itoa(p.ranks), "--mode", p.mode, "--oversubscribe"}
	what := fmt.Sprintf("%s %s (%s, %d ranks)", p.w.Name, p.scaling, p.mode, p.ranks)
	m, err := runMonitored(ctx, cfg, tmp, what, flags, args)
	if err != nil {
		return runResult{}, err
	}
	return runResult{Workload: p.w.Name, Scaling: p.scaling, Mode: p.mode, Ranks: p.ranks, Factor: p.factor(cfg),
		Repeat: rep, WallSec: m.wall, CPUSec: m.cpu,
		PeakRSS: m.rep.SumPeakRSS, BusIn: m.rep.BusReadBytes, BusOut: m.rep.BusWrittenBytes}, nil
}

// monitored is one gorun run under its monitor.
type monitored struct {
	wall, cpu float64 // seconds; cpu is user+system of gorun and every rank (wait4 rusage)
	rep       *monitor.Report
}

// runMonitored runs gorun with flags, the monitor and cfg's timeout, then
// "--" and args, its output discarded, and reads its monitor summary;
// what names the run in an error, which ends with gorun's stderr.
func runMonitored(ctx context.Context, cfg *config, tmp, what string, flags, args []string) (monitored, error) {
	mon := filepath.Join(tmp, "monitor")
	gargs := append(flags, "--quiet", "--no-tag", "--monitor", mon, "--monitor-interval", cfg.Interval)
	if cfg.Timeout != "" {
		gargs = append(gargs, "--timeout", cfg.Timeout)
	}
	gargs = append(append(gargs, "--"), args...)
	cmd := exec.CommandContext(ctx, cfg.Gorun, gargs...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start).Seconds()
	if err != nil {
		return monitored{}, fmt.Errorf("%s failed: %v\n  command: %s %s\n%s",
			what, err, cfg.Gorun, strings.Join(gargs, " "), tail(stderr.String(), 2000))
	}
	rep, err := monitor.ReadReport(mon)
	if err != nil {
		return monitored{}, fmt.Errorf("%s: %w", what, err)
	}
	ps := cmd.ProcessState
	return monitored{wall: wall, cpu: (ps.UserTime() + ps.SystemTime()).Seconds(), rep: rep}, nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
