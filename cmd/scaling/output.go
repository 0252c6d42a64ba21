package main

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"
)

// summaryHeader is the header of scaling.csv; see doc.go for the columns.
const summaryHeader = "workload,scaling,mode,ranks,factor,cores,oversubscribed,repeats," +
	"time_median_s,time_q1_s,time_q3_s,time_min_s,time_max_s," +
	"speedup,speedup_min,speedup_max,efficiency,karp_flatt,amdahl_serial_fraction," +
	"cpu_s,peak_rss_bytes,bus_in_bytes,bus_out_bytes"

// runsHeader is the header of scaling_runs.csv: every run.
const runsHeader = "workload,scaling,mode,ranks,factor,repeat,time_s,cpu_s,peak_rss_bytes,bus_in_bytes,bus_out_bytes"

// writeSummaryCSV writes one row per point; a figure that does not apply
// (Karp–Flatt at 1 rank or in weak scaling) is empty.
func writeSummaryCSV(w io.Writer, rows []summary, cores int) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(summaryHeader + "\n")
	for _, r := range rows {
		f := []string{r.Workload, r.Scaling, r.Mode, itoa(r.Ranks), itoa(r.Factor), itoa(cores),
			strconv.FormatBool(r.Oversubscribed), itoa(r.Repeats),
			num(r.Time.Median), num(r.Time.Q1), num(r.Time.Q3), num(r.Time.Min), num(r.Time.Max),
			num(r.Speedup), num(r.SpeedupLo), num(r.SpeedupHi), num(r.Efficiency), num(r.KarpFlatt), num(r.Amdahl),
			num(r.CPUSec), bytesNum(r.PeakRSS), bytesNum(r.BusIn), bytesNum(r.BusOut)}
		bw.WriteString(strings.Join(f, ",") + "\n")
	}
	return bw.Flush()
}

// writeRunsCSV writes every run.
func writeRunsCSV(w io.Writer, runs []runResult) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(runsHeader + "\n")
	for _, r := range runs {
		f := []string{r.Workload, r.Scaling, r.Mode, itoa(r.Ranks), itoa(r.Factor), itoa(r.Repeat),
			num(r.WallSec), num(r.CPUSec), strconv.FormatInt(r.PeakRSS, 10),
			strconv.FormatInt(r.BusIn, 10), strconv.FormatInt(r.BusOut, 10)}
		bw.WriteString(strings.Join(f, ",") + "\n")
	}
	return bw.Flush()
}

func itoa(i int) string { return strconv.Itoa(i) }

// num formats a figure with 4 significant digits, "" for NaN.
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

func bytesNum(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(math.Round(x), 'f', 0, 64)
}
