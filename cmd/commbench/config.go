package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorun-dev/gorun/cmd/internal/outfile"
)

// Modes of the world the benchmark runs on, as in the mode column.
const (
	modeGoroutines = "goroutines"
	modeProcesses  = "processes"
	modeNATS       = "nats"
	modeRaw        = "nats-raw"
	modeHybrid     = "hybrid" // processes mode under gorun --mode hybrid

	modeGoroutinesMessages = "goroutines-messages" // goroutines with --messages-only
)

// Operations, as in the op column.
const (
	opLatency   = "latency"
	opBandwidth = "bandwidth"
	opBcast     = "bcast"
	opAllreduce = "allreduce"
	opAlltoall  = "alltoall"
	opBarrier   = "barrier"
	opReqReply  = "reqreply" // nats-raw only

	// opUnderload, not part of all, emits rows opIdle and opLoaded
	// (underload.go).
	opUnderload = "underload"
	opIdle      = "latency-idle"
	opLoaded    = "latency-bulk"
	opBulk      = "bulk" // the bulk frame's transfer, under underload
)

// extraOps are operations --ops accepts by name only, not in all.
var extraOps = []string{opUnderload}

// Topologies of --topology. With flat or both, collective rows say which
// algorithms ran: mode processes-flat or processes-staged (comm.SetTopology).
const (
	topoAuto = "auto"
	topoFlat = "flat"
	topoBoth = "both"
)

var allOps = []string{opLatency, opBandwidth, opBcast, opAllreduce, opAlltoall, opBarrier}

const defaultSizes = "1,4,8,16,64,256,1K,4K,16K,64K,256K,1M,4M"

// maxInFlight caps the bytes of one bandwidth window.
const maxInFlight = 16 << 20

// config is the whole run, as the flags describe it.
type config struct {
	Mode         string
	Ranks        int    // goroutines and nats modes
	MessagesOnly bool   // goroutines mode: collectives by messages only (comm.MessagesOnly)
	Topology     string // auto, flat or both (collectives measured flat, then staged)
	Bulk         int    // underload: bytes of the bulk frame
	Ops          []string
	Sizes        []int
	Iters        int // fixed iterations per batch; 0 = calibrate
	Warmup       int // with Iters: warm-up iterations; 0 = Iters/10, at least 1
	Repeats      int
	Time         time.Duration // per point
	Window       int
	Raw          bool
	Format       string
	Profile      string // CPU profile file; "" for none
	Fit          string // --fit: the JSON file of the fitted links and predictions; "" for none
	Stdout       io.Writer
	Stderr       io.Writer
}

// warn prints a note on Stderr.
func (c *config) warn(format string, args ...any) {
	if c.Stderr != nil {
		fmt.Fprintf(c.Stderr, "commbench: "+format+"\n", args...)
	}
}

func defaultConfig() config {
	sizes, _ := parseSizes(defaultSizes)
	return config{
		Mode: modeGoroutines, Ranks: 2, Ops: allOps, Sizes: sizes,
		Repeats: 3, Time: 150 * time.Millisecond, Window: 64, Raw: true, Format: "table", Topology: topoAuto, Bulk: 64 << 20,
	}
}

func (c *config) validate() error {
	switch c.Mode {
	case modeGoroutines, modeProcesses, modeNATS:
	default:
		return fmt.Errorf("--mode %q: want goroutines, nats or processes", c.Mode)
	}
	switch c.Format {
	case "table", "csv":
	default:
		return fmt.Errorf("--format %q: want table or csv", c.Format)
	}
	switch c.Topology {
	case topoAuto, topoFlat, topoBoth:
	default:
		return fmt.Errorf("--topology %q: want auto, flat or both", c.Topology)
	}
	if c.MessagesOnly && c.Mode != modeGoroutines {
		return fmt.Errorf("--messages-only: only for --mode goroutines, not %q", c.Mode)
	}
	if c.Ranks < 1 {
		return fmt.Errorf("-n %d: need at least 1 rank", c.Ranks)
	}
	if len(c.Ops) == 0 {
		return errors.New("--ops: no operation selected")
	}
	if len(c.Sizes) == 0 {
		return errors.New("--sizes: no size selected")
	}
	if c.Iters < 0 || c.Warmup < 0 {
		return fmt.Errorf("--iters %d / --warmup %d: must not be negative", c.Iters, c.Warmup)
	}
	if c.Repeats < 1 {
		return fmt.Errorf("--repeats %d: need at least 1", c.Repeats)
	}
	if c.Iters == 0 && c.Time <= 0 {
		return fmt.Errorf("--time %v: must be positive (or set --iters)", c.Time)
	}
	if c.Bulk < 1 {
		return fmt.Errorf("--bulk %d: need at least 1 byte", c.Bulk)
	}
	if c.Fit != "" {
		if outfile.IsStdout(c.Fit) {
			return fmt.Errorf("--fit %q: the rows go to standard output; name a file", c.Fit)
		}
		if err := outfile.Check(c.Fit); err != nil { // names the flag --out
			return errors.New("--fit " + strings.TrimPrefix(err.Error(), "--out "))
		}
	}
	if c.Window < 1 {
		return fmt.Errorf("--window %d: need at least 1", c.Window)
	}
	return nil
}

func (c *config) has(op string) bool { return slices.Contains(c.Ops, op) }

// wantRaw reports whether the run measures raw NATS rows.
func (c *config) wantRaw() bool { return c.Raw && (c.has(opLatency) || c.has(opBandwidth)) }

// parseOps reads a comma-separated list of operations ("all" for every one).
func parseOps(s string) ([]string, error) {
	var ops []string
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		switch {
		case f == "":
			continue
		case f == "all":
			ops = append(ops, allOps...)
		case slices.Contains(allOps, f) || slices.Contains(extraOps, f):
			ops = append(ops, f)
		default:
			return nil, fmt.Errorf("--ops: unknown operation %q (want %s, all or %s)", f, strings.Join(allOps, ","), strings.Join(extraOps, ","))
		}
	}
	slices.Sort(ops)
	ops = slices.Compact(ops)
	// Keep the canonical order, which is the order of the output.
	var out []string
	for _, op := range append(slices.Clone(allOps), extraOps...) {
		if slices.Contains(ops, op) {
			out = append(out, op)
		}
	}
	return out, nil
}

// parseSizes reads a comma-separated list of byte counts with an optional
// K, M or G suffix (powers of 1024; KiB and KB mean the same), sorted and
// deduplicated.
func parseSizes(s string) ([]int, error) {
	var sizes []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		num, mul := strings.ToUpper(f), 1
		num = strings.TrimSuffix(strings.TrimSuffix(num, "B"), "I")
		switch {
		case strings.HasSuffix(num, "K"):
			mul = 1 << 10
		case strings.HasSuffix(num, "M"):
			mul = 1 << 20
		case strings.HasSuffix(num, "G"):
			mul = 1 << 30
		}
		if mul > 1 {
			num = num[:len(num)-1]
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 || n > (1<<30)/mul {
			return nil, fmt.Errorf("--sizes: bad size %q (want e.g. 8, 64K, 1M; 1 B to 1 GiB)", f)
		}
		sizes = append(sizes, n*mul)
	}
	slices.Sort(sizes)
	return slices.Compact(sizes), nil
}
