package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"

	"github.com/gorun-dev/gorun/cmd/internal/cli"
	"github.com/gorun-dev/gorun/comm"
	"github.com/spf13/pflag"
)

func main() {
	cfg := config{Samples: 100_000_000, Seed: 1}
	fs := pflag.NewFlagSet("pi", pflag.ContinueOnError)
	fs.Var((*count)(&cfg.Samples), "samples", "number of samples in all (100000000, 100_000_000 or 1e8)")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed; rank r draws stream r of it")
	cli.ParseOrExit(fs, "pi [--samples N] [--seed S]", func() error {
		if fs.NArg() > 0 {
			return fmt.Errorf("unexpected argument %q (see --help)", fs.Arg(0))
		}
		return cfg.validate()
	})
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
