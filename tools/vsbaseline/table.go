package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// sample is a repeated measurement: the median, min and max of Runs runs,
// or Err when it could not be taken (the side is "not available").
type sample struct {
	Runs             int
	Median, Min, Max float64
	Err              error
}

// summarize is the sample of the values xs.
func summarize(xs []float64) sample {
	if len(xs) == 0 {
		return sample{Err: fmt.Errorf("no runs")}
	}
	s := append([]float64(nil), xs...)
	for i := 1; i < len(s); i++ { // insertion sort: a handful of values
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	m := len(s) / 2
	med := s[m]
	if len(s)%2 == 0 {
		med = (s[m-1] + s[m]) / 2
	}
	return sample{Runs: len(s), Median: med, Min: s[0], Max: s[len(s)-1]}
}

// scaled is s with every figure multiplied by f (an extrapolation).
func (s sample) scaled(f float64) sample {
	if s.Err == nil {
		s.Median, s.Min, s.Max = s.Median*f, s.Min*f, s.Max*f
	}
	return s
}

// target is a goal on a row's ratio: at least Value (a speed-up) when
// AtMost is false, at most Value (a memory ratio) when it is true.
type target struct {
	Value  float64
	AtMost bool
}

func (t target) String() string {
	if t.AtMost {
		return "<= " + fmtNum(t.Value) + "x"
	}
	return ">= " + fmtNum(t.Value) + "x"
}

// row is one line of the result table: a measured side, or a comparison
// of a measured side against a named baseline.
type row struct {
	Workload string
	Side     string
	Unit     string // "s" or "MiB"
	S        sample
	Baseline string  // the side Ratio compares against; "" for none
	Ratio    float64 // speed-up baseline/S (time) or S/baseline (memory); NaN when unknown
	Target   *target
	Note     string
}

// met is "yes" or "no" for a row with a target, "n/a" when its ratio is
// unknown (a side not available), "" for a row without a target.
func (r row) met() string {
	switch {
	case r.Target == nil:
		return ""
	case math.IsNaN(r.Ratio) || r.S.Err != nil:
		return "n/a"
	}
	ok := r.Ratio >= r.Target.Value
	if r.Target.AtMost {
		ok = r.Ratio <= r.Target.Value
	}
	if ok {
		return "yes"
	}
	return "no"
}

var csvHeader = []string{"workload", "side", "runs", "unit", "median", "min", "max",
	"baseline", "ratio", "target", "met", "note"}

// fields are the row's cells, in csvHeader order.
func (r row) fields() []string {
	f := []string{r.Workload, r.Side, "", r.Unit, "", "", "", r.Baseline, "", "", r.met(), r.Note}
	if r.S.Err == nil {
		f[2] = strconv.Itoa(r.S.Runs)
		f[4], f[5], f[6] = fmtNum(r.S.Median), fmtNum(r.S.Min), fmtNum(r.S.Max)
	} else if f[11] == "" {
		f[11] = "not available: " + r.S.Err.Error()
	} else {
		f[11] += "; not available: " + r.S.Err.Error()
	}
	if r.Baseline != "" && !math.IsNaN(r.Ratio) && r.S.Err == nil {
		f[8] = fmtNum(r.Ratio)
	}
	if r.Target != nil {
		f[9] = r.Target.String()
	}
	return f
}

// fmtNum prints v with 3 significant digits below 1000, as an integer above.
func fmtNum(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return ""
	case math.Abs(v) >= 1000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v == 0:
		return "0"
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// writeCSV writes the rows as CSV with a header.
func writeCSV(w io.Writer, rows []row) error {
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	for _, r := range rows {
		cw.Write(r.fields())
	}
	cw.Flush()
	return cw.Error()
}

// writeTable writes the rows as an aligned text table: the median with its
// min-max range, the ratio against the baseline, the target and whether it
// is met; notes follow in a numbered list under the table, each once.
func writeTable(w io.Writer, rows []row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "workload\tside\truns\tmedian\tmin-max\tvs\tratio\ttarget\tmet")
	var notes []string
	for _, r := range rows {
		f := r.fields()
		med, rng := "-", "-"
		if r.S.Err == nil {
			med = f[4] + " " + r.Unit
			rng = f[5] + "-" + f[6]
		}
		ratio := f[8]
		if ratio != "" {
			ratio += "x"
		}
		side := r.Side
		if f[11] != "" {
			i := slices.Index(notes, f[11])
			if i < 0 {
				notes, i = append(notes, f[11]), len(notes)
			}
			side += fmt.Sprintf(" [%d]", i+1)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Workload, side, dash(f[2]), med, rng,
			dash(r.Baseline), dash(ratio), dash(f[9]), dash(f[10]))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for i, n := range notes {
		if _, err := fmt.Fprintf(w, "[%d] %s\n", i+1, strings.TrimSpace(n)); err != nil {
			return err
		}
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
