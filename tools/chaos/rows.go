//go:build linux

package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Row is one kind of trial.
type Row struct {
	Name  string
	Trial func(ctx context.Context, e *Env, dir string) Outcome
}

// Outcome is how one trial went: Fail is empty for a pass, else what was
// wrong; Counts are tallied per row (e.g. "mid-write": 1).
type Outcome struct {
	Fail   string
	Counts map[string]int
}

// Env is what every trial may use.
type Env struct {
	Bin  string     // directory of gorun and the programs
	Rand *rand.Rand // seeded from --seed: a run can be repeated
	Data string     // inputs made once for the whole run
}

// rows are the trials chaos runs, in table order.
var rows = outputRows()

// result is one row's tally.
type result struct {
	row      Row
	trials   int
	fails    []string
	counts   map[string]int
	duration []time.Duration
}

// runRow runs n trials of r, each in its own scratch directory.
func runRow(ctx context.Context, e *Env, r Row, n int) (*result, error) {
	res := &result{row: r, counts: map[string]int{}}
	for i := range n {
		dir, err := os.MkdirTemp("", "chaos-*")
		if err != nil {
			return nil, err
		}
		start := time.Now()
		o := r.Trial(ctx, e, dir)
		res.duration = append(res.duration, time.Since(start))
		res.trials++
		for k, v := range o.Counts {
			res.counts[k] += v
		}
		if o.Fail != "" {
			res.fails = append(res.fails, fmt.Sprintf("trial %d: %s", i, o.Fail))
		}
		os.RemoveAll(dir)
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
	}
	return res, nil
}

// printTable writes the summary table, then every failure.
func printTable(w io.Writer, results []*result) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "row\ttrials\tpass\tfail\tcounts\tp50\tp95")
	for _, r := range results {
		var counts []string
		for k, v := range r.counts {
			counts = append(counts, fmt.Sprintf("%s %d", k, v))
		}
		slices.Sort(counts)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\n", r.row.Name, r.trials, r.trials-len(r.fails), len(r.fails),
			strings.Join(counts, ", "), quantile(r.duration, 0.5), quantile(r.duration, 0.95))
	}
	tw.Flush()
	for _, r := range results {
		for _, f := range r.fails {
			fmt.Fprintf(w, "FAIL %s: %s\n", r.row.Name, f)
		}
	}
}

// quantile is the q-quantile of ds (nearest rank), rounded to 0.1 ms.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := min(len(s)-1, int(q*float64(len(s))))
	return s[i].Round(100 * time.Microsecond)
}
