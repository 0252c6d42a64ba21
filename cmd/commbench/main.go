package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/spf13/pflag"
)

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if errors.Is(err, pflag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "commbench: %v\n", err)
		os.Exit(2)
	}
	cfg.Stdout, cfg.Stderr = os.Stdout, os.Stderr
	if cfg.Mode == modeProcesses {
		comm.Main(func(ctx context.Context, c *comm.Comm) error { return runRank(ctx, c, cfg) })
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, cfg)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "commbench: %v\n", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (config, error) {
	cfg := defaultConfig()
	fs := pflag.NewFlagSet("commbench", pflag.ContinueOnError)
	fs.StringVar(&cfg.Mode, "mode", cfg.Mode, "goroutines (an in-process world), nats (N NATS connections in this process) or processes (one rank of a gorun job)")
	fs.IntVarP(&cfg.Ranks, "np", "n", cfg.Ranks, "ranks in goroutines and nats modes (processes mode: gorun's -n)")
	fs.BoolVar(&cfg.MessagesOnly, "messages-only", false, "goroutines mode: every collective moves messages, no shared-memory shortcuts (rows say mode goroutines-messages)")
	ops := fs.String("ops", "all", "operations: latency,bandwidth,bcast,allreduce,alltoall,barrier or all, and underload (not in all)")
	bulk := fs.String("bulk", "64M", "underload: size of the bulk frame (K, M suffixes)")
	sizes := fs.String("sizes", defaultSizes, "message sizes in bytes (K, M suffixes are powers of 1024)")
	fs.IntVar(&cfg.Iters, "iters", 0, "iterations per timed batch (0: calibrate to --time)")
	fs.IntVar(&cfg.Warmup, "warmup", 0, "warm-up iterations with --iters (0: iters/10, at least 1)")
	fs.IntVar(&cfg.Repeats, "repeats", cfg.Repeats, "timed batches per point; the median is reported")
	fs.DurationVar(&cfg.Time, "time", cfg.Time, "time to spend per point when calibrating")
	fs.IntVar(&cfg.Window, "window", cfg.Window, "messages per bandwidth window (capped at 16 MiB in flight)")
	fs.StringVar(&cfg.Topology, "topology", cfg.Topology, "collectives: auto (staged across hosts), flat, or both (each point flat, then staged: rows say mode MODE-flat, MODE-staged)")
	fs.BoolVar(&cfg.Raw, "raw", cfg.Raw, "also measure raw nats.go pub/sub, request/reply and streaming (mode nats-raw)")
	fs.StringVar(&cfg.Format, "format", cfg.Format, "table or csv (op,mode,ranks,bytes,usec,MBps)")
	fs.StringVar(&cfg.Fit, "fit", "", "fit latency and bandwidth (alpha-beta) to the latency rows of each mode, price every collective row on them, and write both to this JSON file (gorun-plot --commbench draws it); a summary goes to stderr")
	fs.StringVar(&cfg.Profile, "cpuprofile", "", "write a CPU profile to this file (processes mode: FILE.rankR for ranks > 0)")
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: commbench [--mode goroutines|nats|processes] [-n N] [--ops LIST] [--sizes LIST] [--format table|csv]\n\nFlags:\n%s", fs.FlagUsages())
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q (see --help)", fs.Arg(0))
	}
	if !fs.Changed("np") && cfg.Mode == modeGoroutines && os.Getenv(jobenv.EnvMode) == jobenv.ModeGoroutines {
		// Under gorun --mode goroutines -n N: a world of N, as comm.Main would.
		if n, err := strconv.Atoi(os.Getenv(jobenv.EnvSize)); err == nil {
			cfg.Ranks = n
		}
	}
	if fs.Changed("np") && cfg.Mode == modeProcesses {
		return cfg, errors.New("-n: in processes mode the ranks are gorun's (gorun -n N commbench --mode processes)")
	}
	var err error
	if cfg.Ops, err = parseOps(*ops); err != nil {
		return cfg, err
	}
	if cfg.Sizes, err = parseSizes(*sizes); err != nil {
		return cfg, err
	}
	b, err := parseSizes(*bulk)
	if err != nil || len(b) != 1 {
		return cfg, fmt.Errorf("--bulk %q: want one size such as 64M", *bulk)
	}
	cfg.Bulk = b[0]
	return cfg, cfg.validate()
}
