package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gorun-dev/gorun/launcher"
	"github.com/spf13/pflag"

	"github.com/gorun-dev/gorun/cmd/internal/outfile"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `usage: scaling [flags] --workload NAME=PROGRAM [ARG...] ...
       scaling [flags] [--name NAME] -- PROGRAM [ARG...]

Runs each workload under gorun at 1, 2, 4, ... ranks in both modes, Repeat
times, and writes DIR/scaling.csv, DIR/scaling_runs.csv and a figure per
workload and scaling (DIR/NAME_strong.png/.svg, DIR/NAME_weak.png/.svg).
In arguments, {n} is the problem-size factor (ranks in weak runs,
--strong-factor in strong runs), {n*K} is K times it, an argument
{rep:ARG} ({rep*K:ARG}) is ARG repeated {n} ({n*K}) times, and {tmp} is
a scratch directory for output files. See go doc ./cmd/scaling.

Flags:
`

// run is scaling with its arguments and streams; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg := config{Repeat: 3, StrongFactor: 1, Cores: launcher.CPUs(), Interval: "50ms", Warmup: true}
	var workloads []string
	var name, ranks, modes, scalings string
	var maxRanks int
	var quiet, noWarmup bool
	var hostfile, perHost, launchAgent, sshCmd string
	var hc hostsConfig
	fs := pflag.NewFlagSet("scaling", pflag.ContinueOnError)
	fs.SetInterspersed(false)
	fs.SetOutput(stderr)
	fs.StringArrayVar(&workloads, "workload", nil, "NAME=PROGRAM [ARG...], split at spaces (repeatable)")
	fs.StringVar(&name, "name", "", "name of the workload given after -- (default: the program's base name)")
	fs.IntVar(&maxRanks, "max-ranks", 8, "rank counts 1, 2, 4, ... up to this")
	fs.StringVar(&ranks, "ranks", "", "rank counts instead, e.g. 1,2,3,4 (must start at 1)")
	fs.StringVar(&modes, "modes", "processes,goroutines", "modes to run")
	fs.StringVar(&scalings, "scaling", "strong,weak", "strong, weak, or strong,weak")
	fs.IntVarP(&cfg.Repeat, "repeat", "r", cfg.Repeat, "runs per point; the plots show the median and min-max")
	fs.IntVar(&cfg.StrongFactor, "strong-factor", cfg.StrongFactor, "value of {n} in strong runs")
	fs.IntVar(&cfg.Cores, "cores", cfg.Cores, "core count to mark on the plots (default: the CPUs usable here)")
	fs.StringVarP(&cfg.Out, "out", "o", ".", "directory for the CSVs and plots (created)")
	fs.StringVar(&cfg.Gorun, "gorun", "", "the gorun launcher (default: gorun next to this program, else in $PATH)")
	fs.StringVar(&cfg.Interval, "monitor-interval", cfg.Interval, "gorun --monitor-interval of every run")
	fs.StringVar(&cfg.Timeout, "timeout", "", "gorun --timeout of every run, e.g. 2m")
	fs.StringVar(&hostfile, "hosts", "", "sweep across hosts: a hostfile, one host per line; runs use the first 1, 2, ... of them (modes default to processes,hybrid)")
	fs.StringVar(&perHost, "ranks-per-host", "1,2", "with --hosts: ranks per host to sweep")
	fs.StringVar(&hc.Link, "link", "", "with --hosts: the link speed between hosts, as the plots and file names say it (e.g. 1gbit)")
	fs.StringVar(&launchAgent, "launch-agent", "", "with --hosts: gorun --launch-agent of every run")
	fs.StringVar(&sshCmd, "ssh", "", "with --hosts: gorun --ssh of every run")
	fs.BoolVar(&noWarmup, "no-warmup", false, "skip the untimed first run of each workload")
	fs.BoolVarP(&quiet, "quiet", "q", false, "no line per run on stderr")
	fs.SortFlags = false
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, usage, fs.FlagUsages())
			return 0
		}
		fmt.Fprintf(stderr, "scaling: %v (see scaling --help)\n", err)
		return 2
	}
	cfg.Warmup = !noWarmup
	if hostfile != "" && !fs.Changed("modes") {
		modes = "processes,hybrid"
	}
	err := parseFlags(&cfg, workloads, fs.Args(), name, ranks, maxRanks, modes, scalings)
	if err == nil && hostfile != "" {
		err = parseHosts(&hc, hostfile, perHost, launchAgent, sshCmd)
	}
	if err == nil {
		err = cfg.validate()
	}
	if err == nil {
		cfg.Gorun, err = findGorun(cfg.Gorun)
	}
	if err != nil {
		fmt.Fprintf(stderr, "scaling: %v\n", err)
		return 2
	}
	log := stderr
	if quiet {
		log = io.Discard
	}
	t0 := time.Now()
	var files []string
	if hostfile != "" {
		files, err = runHostsSweep(ctx, &cfg, &hc, log)
	} else {
		files, err = runSweep(ctx, &cfg, log)
	}
	if err != nil {
		fmt.Fprintf(stderr, "scaling: %v\n", err)
		return 1
	}
	fmt.Fprintf(log, "scaling: done in %.0fs; wrote", time.Since(t0).Seconds())
	for _, f := range files {
		fmt.Fprintf(log, " %s", f)
	}
	fmt.Fprintln(log)
	return 0
}

// parseFlags turns the flag strings into cfg.
func parseFlags(cfg *config, workloads, rest []string, name, ranks string, maxRanks int, modes, scalings string) error {
	for _, s := range workloads {
		w, err := parseWorkload(s)
		if err != nil {
			return err
		}
		cfg.Workloads = append(cfg.Workloads, w)
	}
	if len(rest) > 0 {
		if name == "" {
			name = defaultName(rest[0])
		}
		cfg.Workloads = append(cfg.Workloads, workload{Name: name, Args: rest})
	}
	var err error
	switch {
	case ranks != "":
		cfg.Ranks, err = parseRanks(ranks)
	case maxRanks < 1:
		err = fmt.Errorf("--max-ranks %d: must be 1 or more", maxRanks)
	default:
		cfg.Ranks = powersOfTwo(maxRanks)
	}
	if err != nil {
		return err
	}
	if cfg.Modes, err = parseChoice("modes", modes, "processes", "goroutines", "hybrid"); err != nil {
		return err
	}
	cfg.Scalings, err = parseChoice("scaling", scalings, "strong", "weak")
	return err
}

// findGorun finds the launcher: the flag, else next to this program, else
// in $PATH.
func findGorun(flag string) (string, error) {
	if flag != "" {
		return exec.LookPath(flag)
	}
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), "gorun")
		if _, err := exec.LookPath(p); err == nil {
			return p, nil
		}
	}
	p, err := exec.LookPath("gorun")
	if err != nil {
		return "", errors.New("gorun not found next to scaling or in $PATH; give --gorun PATH")
	}
	return p, nil
}

// runSweep runs the sweep and writes the CSVs and plots.
func runSweep(ctx context.Context, cfg *config, log io.Writer) ([]string, error) {
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return nil, err
	}
	runs, err := sweep(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	rows := summarize(runs, cfg.Cores)
	sumPath := filepath.Join(cfg.Out, "scaling.csv")
	runsPath := filepath.Join(cfg.Out, "scaling_runs.csv")
	if err := outfile.Write(sumPath, func(w io.Writer) error { return writeSummaryCSV(w, rows, cfg.Cores) }); err != nil {
		return nil, err
	}
	if err := outfile.Write(runsPath, func(w io.Writer) error { return writeRunsCSV(w, runs) }); err != nil {
		return nil, err
	}
	bases, err := plotAll(cfg, rows)
	if err != nil {
		return nil, err
	}
	files := []string{sumPath, runsPath}
	for _, b := range bases {
		files = append(files, b+".png", b+".svg")
	}
	return files, nil
}
