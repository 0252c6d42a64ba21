package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// row is one measurement.
type row struct {
	Op    string
	Mode  string
	Ranks int
	Bytes int
	Usec  float64 // one-way time (latency, reqreply), time per message (bandwidth) or per call
}

// mbps is bytes per microsecond, i.e. 10^6 bytes per second.
func (r row) mbps() float64 {
	if r.Bytes == 0 || r.Usec <= 0 {
		return 0
	}
	return float64(r.Bytes) / r.Usec
}

// csvHeader is the first line of --format csv.
const csvHeader = "op,mode,ranks,bytes,usec,MBps"

// printer writes rows as they are measured, flushing after each so a long
// run shows progress.
type printer struct {
	w      *bufio.Writer
	format string
}

func newPrinter(w io.Writer, format string) *printer {
	p := &printer{w: bufio.NewWriter(w), format: format}
	if format == "csv" {
		fmt.Fprintln(p.w, csvHeader)
	} else {
		fmt.Fprintf(p.w, "%-10s %-10s %5s %10s %12s %12s\n", "op", "mode", "ranks", "bytes", "usec", "MB/s")
	}
	return p
}

func (p *printer) row(r row) error {
	usec := strconv.FormatFloat(r.Usec, 'f', 3, 64)
	mbps := formatMBps(r.mbps())
	if p.format == "csv" {
		fmt.Fprintf(p.w, "%s,%s,%d,%d,%s,%s\n", r.Op, r.Mode, r.Ranks, r.Bytes, usec, mbps)
	} else {
		fmt.Fprintf(p.w, "%-10s %-10s %5d %10d %12s %12s\n", r.Op, r.Mode, r.Ranks, r.Bytes, usec, mbps)
	}
	return p.w.Flush()
}

// formatMBps prints a rate with three decimals, or, below 0.001 (a byte in
// a slow call), with three significant digits rather than as a zero.
func formatMBps(v float64) string {
	if v > 0 && v < 0.001 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}
