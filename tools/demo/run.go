package main

import (
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

type config struct {
	bin, data string
	ranks     int
}

// workload is one program with its arguments and a check of its output.
type workload struct {
	title string
	prog  string
	args  func(out string) []string
	check func(out string) error
}

// result is one run: wall time and the monitor's summary.
type result struct {
	mode string
	wall time.Duration
	rep  monitor.Report
}

func run(cfg config, w io.Writer) error {
	tmp, err := os.MkdirTemp("", "gorun-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	geo, text := filepath.Join(cfg.data, "geo"), filepath.Join(cfg.data, "text")
	works := []workload{
		{
			title: "tracts: Cook County tracts (1,318) x Illinois ZIP centroids (1,590) x dup 100, distance to the 3rd nearest",
			prog:  "tracts",
			args: func(out string) []string {
				return []string{"--tracts", filepath.Join(geo, "il_2018.geojson"), "--filter", "COUNTYFP=031",
					"--points", filepath.Join(geo, "zips_il.csv"), "--dup", "100", "--k", "3", "--out", out}
			},
			check: func(out string) error {
				return sameCSV(out, filepath.Join(geo, "tracts_cook_il_k3_dup100.csv"), 1e-9)
			},
		},
		{
			title: "wordcount: 5 State of the Union speeches, map, shuffle by hash (Alltoall), reduce",
			prog:  "wordcount",
			args: func(out string) []string {
				files, _ := filepath.Glob(filepath.Join(text, "*.txt"))
				return append([]string{"--out", out}, files...)
			},
			check: func(out string) error { return sameFile(out, filepath.Join(text, "golden.tsv")) },
		},
	}
	for _, wl := range works {
		fmt.Fprintf(w, "\n== %s\n", wl.title)
		var results []result
		for _, mode := range []string{"processes", "goroutines"} {
			res, err := runOne(cfg, tmp, wl, mode)
			if err != nil {
				return err
			}
			results = append(results, res)
		}
		printContrast(w, results)
	}
	fmt.Fprintln(w, "\nEvery answer matched its reference (GEOS/PROJ distances to 1e-9 relative; word counts byte for byte).")
	return nil
}

// runOne runs wl under gorun in mode with the monitor on and checks it.
func runOne(cfg config, tmp string, wl workload, mode string) (result, error) {
	out := filepath.Join(tmp, wl.prog+"-"+mode+".out")
	mon := filepath.Join(tmp, wl.prog+"-"+mode)
	args := append([]string{"-n", strconv.Itoa(cfg.ranks), "--mode", mode, "--oversubscribe", "--quiet",
		"--monitor", mon, filepath.Join(cfg.bin, wl.prog)}, wl.args(out)...)
	cmd := exec.Command(filepath.Join(cfg.bin, "gorun"), args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return result{}, fmt.Errorf("%s: %w", strings.Join(cmd.Args, " "), err)
	}
	res := result{mode: mode, wall: time.Since(start)}
	rep, err := monitor.ReadReport(mon)
	if err != nil {
		return res, err
	}
	res.rep = *rep
	if err := wl.check(out); err != nil {
		return res, fmt.Errorf("%s in %s mode gave a wrong answer: %w", wl.prog, mode, err)
	}
	return res, nil
}

func printContrast(w io.Writer, rs []result) {
	fmt.Fprintf(w, "%-11s %6s %9s %9s %-28s %11s\n", "mode", "ranks", "wall", "CPU", "peak RSS per process", "bus bytes")
	for _, r := range rs {
		var peaks []string
		for _, rk := range r.rep.Ranks {
			peaks = append(peaks, mib(rk.PeakRSS))
		}
		fmt.Fprintf(w, "%-11s %6d %8.3fs %8.3fs %-28s %11s\n", r.mode, r.rep.Size, r.wall.Seconds(), r.rep.CPUSec,
			strings.Join(peaks, " + ")+" = "+mib(r.rep.SumPeakRSS), kib(r.rep.BusReadBytes+r.rep.BusWrittenBytes))
	}
	if len(rs) == 2 && rs[1].rep.SumPeakRSS > 0 && rs[1].wall > 0 {
		fmt.Fprintf(w, "processes / goroutines: %.2fx the time, %.2fx the memory\n",
			rs[0].wall.Seconds()/rs[1].wall.Seconds(), float64(rs[0].rep.SumPeakRSS)/float64(rs[1].rep.SumPeakRSS))
	}
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
func kib(b int64) string { return fmt.Sprintf("%.0f KiB", float64(b)/(1<<10)) }
