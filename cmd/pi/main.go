package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"

	"github.com/gorun-dev/gorun/comm"
	"github.com/spf13/pflag"
)

func main() {
	cfg := config{Samples: 100_000_000, Seed: 1}
	fs := pflag.NewFlagSet("pi", pflag.ContinueOnError)
	fs.Var((*count)(&cfg.Samples), "samples", "number of samples in all (100000000, 100_000_000 or 1e8)")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed; rank r draws stream r of it")
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: pi [--samples N] [--seed S]\n\nFlags:\n%s", fs.FlagUsages())
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "pi: %v\n", err)
		os.Exit(2)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "pi: unexpected argument %q (see --help)\n", fs.Arg(0))
		os.Exit(2)
	}
	if err := cfg.validate(); err != nil {
		fmt.Fprintf(os.Stderr, "pi: %v\n", err)
		os.Exit(2)
	}
	cfg.Stdout = os.Stdout
	comm.Main(func(ctx context.Context, c *comm.Comm) error { return run(ctx, c, cfg) })
}

// count is a pflag value for a sample count: an integer with optional
// underscores, or an integral float such as 1e8.
type count int64

func (n *count) String() string { return strconv.FormatInt(int64(*n), 10) }
func (n *count) Type() string   { return "N" }

func (n *count) Set(s string) error {
	if v, err := strconv.ParseInt(s, 0, 64); err == nil {
		*n = count(v)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1<<63 {
		return fmt.Errorf("not a whole number: %q", s)
	}
	*n = count(f)
	return nil
}
