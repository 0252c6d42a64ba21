package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `usage: vsbaseline [flags]

Runs the lecture's Python baselines (--baselines DIR/seed_*.py) and the gorun
programs side by side and prints one table: each side's time (median of
--repeats, min-max), the speed-up over the named baseline, the target and
whether it is met.

Flags:
`

// legend explains the table's figures under the text table.
const legend = `python rows: the script's own seconds= line (compute phase; interpreter start and loading not counted).
gorun rows: wall time of the whole gorun process (launch, bus, load, compute, output written to a file).
ratio: baseline median / this median for times (a speed-up); this median / baseline median for memory.
`

// run is vsbaseline with its arguments and streams; it returns the exit
// status: 0, 1 when a Go side failed, 2 on bad usage.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg := config{Repeats: 3, Ranks: 2, MemRanks: 8, Dup: 1, GoDup: 100, PiSamples: 100_000_000,
		WCTimes: 10, WCLonger: 40, Timeout: 20 * time.Minute, Format: "table"}
	var only, modes, python string
	fs := pflag.NewFlagSet("vsbaseline", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.StringVar(&cfg.Bin, "bin", "bin", "directory with gorun, tracts, wordcount and pi (make build)")
	fs.StringVar(&cfg.Baselines, "baselines", "", "directory with the Python baselines seed_*.py (required)")
	fs.StringVar(&cfg.Data, "data", "", "the baselines' data directory: tracts/, points/, text/sotu (required)")
	fs.StringVar(&python, "python", "/usr/bin/python3", "Python interpreter of the baselines (with geopandas and dask)")
	fs.StringVar(&only, "only", strings.Join(workloads, ","), "workloads to run: "+strings.Join(workloads, ","))
	fs.IntVarP(&cfg.Repeats, "repeats", "r", cfg.Repeats, "runs of every side; the table shows the median and min-max")
	fs.IntVar(&cfg.Dup, "dup", cfg.Dup, "--dup of the Python tracts side (its time is also extrapolated linearly to --go-dup)")
	fs.IntVar(&cfg.GoDup, "go-dup", cfg.GoDup, "--dup of the Go tracts side (the targets are for 100)")
	fs.Var((*count)(&cfg.PiSamples), "pi-samples", "samples of both pi sides: 100000000, 100_000_000 or 1e8")
	fs.StringVar(&cfg.Text, "text", "", "word count corpus, a directory of *.txt (default: DATA/text/sotu)")
	fs.IntVar(&cfg.WCTimes, "wordcount-times", cfg.WCTimes, "the larger word count input is the corpus this many times")
	fs.IntVar(&cfg.WCLonger, "scaling-longer-times", cfg.WCLonger, "scaling also runs word count on the corpus this many times, a job long enough that start-up weighs little (0: not)")
	fs.IntVarP(&cfg.Ranks, "ranks", "n", cfg.Ranks, "ranks of the gorun sides")
	fs.IntVar(&cfg.MemRanks, "memory-ranks", cfg.MemRanks, "ranks of the memory check")
	fs.StringVar(&modes, "modes", "processes,goroutines", "gorun modes to run")
	fs.DurationVar(&cfg.Timeout, "timeout", cfg.Timeout, "limit of every single run")
	fs.StringVar(&cfg.Format, "format", cfg.Format, "table or csv")
	fs.BoolVarP(&cfg.Quiet, "quiet", "q", false, "no line per run on stderr")
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, usage, fs.FlagUsages())
			return 0
		}
		fmt.Fprintf(stderr, "vsbaseline: %v (see vsbaseline --help)\n", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "vsbaseline: unexpected argument %q (see vsbaseline --help)\n", fs.Arg(0))
		return 2
	}
	var err error
	if cfg.Only, err = parseOnly(only); err == nil {
		cfg.Modes = strings.Split(modes, ",")
		if cfg.Text == "" && cfg.Data != "" {
			cfg.Text = filepath.Join(cfg.Data, "text", "sotu")
		}
		cfg.Python = findPython(python)
		err = cfg.validate()
	}
	if err != nil {
		fmt.Fprintf(stderr, "vsbaseline: %v\n", err)
		return 2
	}
	rows, failed, err := benchmark(ctx, &cfg, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "vsbaseline: %v\n", err)
		return 1
	}
	if cfg.Format == "csv" {
		err = writeCSV(stdout, rows)
	} else if err = writeTable(stdout, rows); err == nil {
		_, err = fmt.Fprint(stdout, "\n", legend)
	}
	if err != nil {
		fmt.Fprintf(stderr, "vsbaseline: %v\n", err)
		return 1
	}
	if failed {
		fmt.Fprintln(stderr, "vsbaseline: a gorun side failed (see the notes)")
		return 1
	}
	return 0
}

// benchmark runs the chosen workloads in order and returns the rows, and
// whether a Go side failed.
func benchmark(ctx context.Context, cfg *config, log io.Writer) ([]row, bool, error) {
	if cfg.Quiet {
		log = io.Discard
	}
	tmp, err := os.MkdirTemp("", "vsbaseline-*")
	if err != nil {
		return nil, false, err
	}
	defer os.RemoveAll(tmp)
	b := &bench{cfg: cfg, log: log, tmp: tmp, memo: map[string]sample{}, corpora: map[int]corpusInfo{}}
	if cfg.wants("tracts") {
		b.runTracts(ctx)
	}
	if cfg.wants("wordcount") {
		if err := b.runWordcount(ctx); err != nil {
			return nil, false, err
		}
	}
	if cfg.wants("pi") {
		b.runPi(ctx)
	}
	if cfg.wants("scaling") {
		if err := b.runScaling(ctx); err != nil {
			return nil, false, err
		}
	}
	if cfg.wants("memory") {
		b.runMemory(ctx)
	}
	if ctx.Err() != nil {
		return nil, false, ctx.Err()
	}
	return b.rows, b.fail, nil
}
