//go:build linux

package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Row is one kind of trial.
type Row struct {
	Name  string
	Trial func(ctx context.Context, e *Env, dir string) Outcome
	// Short is the row's trials under --short (default 3).
	Short int
	// Known names the open defect this row's failures show; they are
	// printed as such and do not make chaos exit 1.
	Known string
}

// Outcome is how one trial went: Fail is empty for a pass, else what was
// wrong; Counts are tallied per row (e.g. "mid-write": 1).
type Outcome struct {
	Fail   string
	Counts map[string]int
	// Teardown is how long the job took to end after its fault (a rank's
	// failure, a signal to the launcher); 0 where that does not apply.
	Teardown time.Duration
}

// Env is what every trial may use.
type Env struct {
	Bin      string     // directory of gorun and the programs
	Gorun    string     // Bin's gorun
	RankProg string     // the trials' SPMD program (tools/chaos/rankprog)
	Rand     *rand.Rand // seeded from --seed: a run can be repeated
	Data     string     // inputs made once for the whole run
}

// rows are the trials chaos runs, in table order.
var rows = slices.Concat(rankFailRows(), launcherSignalRows(), burstRows(), mismatchRows(), outputRows())

// result is one row's tally.
type result struct {
	row      Row
	trials   int
	fails    []string
	counts   map[string]int
	duration []time.Duration
	teardown []time.Duration
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
		if o.Teardown > 0 {
			res.teardown = append(res.teardown, o.Teardown)
		}
		res.trials++
		for k, v := range o.Counts {
			res.counts[k] += v
		}
		if o.Fail != "" {
			res.fails = append(res.fails, fmt.Sprintf("trial %d: %s", i, oneLine(o.Fail)))
		}
		os.RemoveAll(dir)
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
	}
	return res, nil
}

// shownFails is how many failures of a row the report prints.
const shownFails = 3

// printTable writes the summary table, then the first failures of each
// row.
func printTable(w io.Writer, results []*result) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "row\ttrials\tpass\tfail\tteardown p50\tp95\ttrial p50\tp95\tcounts")
	for _, r := range results {
		var counts []string
		for k, v := range r.counts {
			counts = append(counts, fmt.Sprintf("%s %d", k, v))
		}
		slices.Sort(counts)
		fail := strconv.Itoa(len(r.fails))
		if r.row.Known != "" && len(r.fails) > 0 {
			fail += " (known)"
		}
		td50, td95 := "-", "-"
		if len(r.teardown) > 0 {
			td50, td95 = quantile(r.teardown, 0.5).String(), quantile(r.teardown, 0.95).String()
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.row.Name, r.trials, r.trials-len(r.fails), fail,
			td50, td95, quantile(r.duration, 0.5), quantile(r.duration, 0.95), strings.Join(counts, ", "))
	}
	tw.Flush()
	for _, r := range results {
		label := "FAIL"
		if r.row.Known != "" && len(r.fails) > 0 {
			label = "KNOWN"
			fmt.Fprintf(w, "KNOWN %s: %s\n", r.row.Name, r.row.Known)
		}
		for i, f := range r.fails {
			if i == shownFails {
				fmt.Fprintf(w, "%s %s: ... and %d more\n", label, r.row.Name, len(r.fails)-shownFails)
				break
			}
			fmt.Fprintf(w, "%s %s: %s\n", label, r.row.Name, f)
		}
	}
}

// oneLine is s on one line of at most 400 bytes.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 400 {
		s = s[:400] + "..."
	}
	return s
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
