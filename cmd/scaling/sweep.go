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

// sweep runs every point Repeat times, rounds outermost, so that a slow
// spell of a shared machine spreads over all points instead of one.
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
	tmp, err := os.MkdirTemp(cfg.Out, ".scaling-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if cfg.Warmup {
		for _, w := range cfg.Workloads {
			if _, err := runOne(ctx, cfg, point{w, "strong", cfg.Modes[0], 1}, 0, tmp); err != nil {
				return nil, err
			}
		}
	}
	var out []runResult
	t0 := time.Now()
	for r := 1; r <= cfg.Repeat; r++ {
		for i, p := range points {
			res, err := runOne(ctx, cfg, p, r, tmp)
			if err != nil {
				return nil, err
			}
			out = append(out, res)
			fmt.Fprintf(log, "scaling: [%d/%d] %s %s %s n=%d: %.3fs (%.0fs so far)\n",
				(r-1)*len(points)+i+1, cfg.Repeat*len(points), p.w.Name, p.scaling, p.mode, p.ranks, res.WallSec, time.Since(t0).Seconds())
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
	mon := filepath.Join(tmp, "monitor")
	gargs := []string{"-n", strconv.Itoa(p.ranks), "--mode", p.mode, "--oversubscribe", "--quiet", "--no-tag",
		"--monitor", mon, "--monitor-interval", cfg.Interval}
	if cfg.Timeout != "" {
		gargs = append(gargs, "--timeout", cfg.Timeout)
	}
	gargs = append(append(gargs, "--"), args...)
	cmd := exec.CommandContext(ctx, cfg.Gorun, gargs...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start).Seconds()
	if err != nil {
		return runResult{}, fmt.Errorf("%s %s (%s, %d ranks) failed: %v\n  command: %s %s\n%s",
			p.w.Name, p.scaling, p.mode, p.ranks, err, cfg.Gorun, strings.Join(gargs, " "), tail(stderr.String(), 2000))
	}
	rep0, err := monitor.ReadReport(mon)
	if err != nil {
		return runResult{}, fmt.Errorf("%s: %w", p.w.Name, err)
	}
	ps := cmd.ProcessState
	return runResult{Workload: p.w.Name, Scaling: p.scaling, Mode: p.mode, Ranks: p.ranks, Factor: p.factor(cfg),
		Repeat: rep, WallSec: wall, CPUSec: (ps.UserTime() + ps.SystemTime()).Seconds(),
		PeakRSS: rep0.SumPeakRSS, BusIn: rep0.BusReadBytes, BusOut: rep0.BusWrittenBytes}, nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
