package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for commbench (the os/exec
// helper-process pattern): with COMMBENCH_BE_MAIN=1 it runs main.
func TestMain(m *testing.M) {
	if os.Getenv("COMMBENCH_BE_MAIN") == "1" {
		os.Args = append([]string{"commbench"}, strings.Fields(os.Getenv("COMMBENCH_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runCSV runs commbench in-process with args (plus --format csv) and
// returns the parsed rows after checking the header and every field.
func runCSV(t *testing.T, args ...string) [][]string {
	t.Helper()
	cfg, err := parseFlags(append(args, "--format", "csv"))
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	cfg.Stdout, cfg.Stderr = &out, &errOut
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, cfg); err != nil {
		t.Fatalf("run %v: %v\nstderr: %s", args, err, errOut.String())
	}
	lines := strings.SplitN(out.String(), "\n", 2)
	if lines[0] != csvHeader {
		t.Fatalf("header %q, want %q", lines[0], csvHeader)
	}
	recs, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, out.String())
	}
	for _, rec := range recs[1:] {
		checkRow(t, rec)
	}
	return recs[1:]
}

var knownOps = append(slices.Clone(allOps), opReqReply, opIdle, opLoaded, opBulk)

func checkRow(t *testing.T, rec []string) {
	t.Helper()
	if len(rec) != 6 {
		t.Fatalf("row %q: %d fields, want 6", rec, len(rec))
	}
	if !slices.Contains(knownOps, rec[0]) {
		t.Errorf("row %q: unknown op", rec)
	}
	base := strings.TrimSuffix(strings.TrimSuffix(rec[1], suffixIntra), suffixInter)
	base = strings.TrimSuffix(strings.TrimSuffix(base, "-flat"), "-staged")
	if !slices.Contains([]string{modeGoroutines, modeGoroutinesMessages, modeNATS, modeProcesses, modeHybrid, modeRaw}, base) {
		t.Errorf("row %q: unknown mode", rec)
	}
	for i, name := range []string{"ranks", "bytes"} {
		if n, err := strconv.Atoi(rec[2+i]); err != nil || n < 0 || n == 0 && name == "ranks" {
			t.Errorf("row %q: bad %s", rec, name)
		}
	}
	usec, err1 := strconv.ParseFloat(rec[4], 64)
	mbps, err2 := strconv.ParseFloat(rec[5], 64)
	if err1 != nil || err2 != nil || usec <= 0 || mbps < 0 || mbps == 0 && rec[0] != opBarrier {
		t.Errorf("row %q: usec and MBps must be positive numbers (MBps 0 for barrier)", rec)
	}
}

// key is op/mode/ranks/bytes of a row, for comparing the set of rows.
func keys(recs [][]string) []string {
	var ks []string
	for _, r := range recs {
		ks = append(ks, strings.Join(r[:4], "/"))
	}
	return ks
}

func TestRunModes(t *testing.T) {
	tiny := []string{"--iters", "2", "--repeats", "1", "--sizes", "1,64", "--raw=false"}
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"goroutines-2", []string{"--mode", "goroutines", "-n", "2"}, []string{
			"latency/goroutines/2/1", "latency/goroutines/2/64", "bandwidth/goroutines/2/1", "bandwidth/goroutines/2/64",
			"bcast/goroutines/2/1", "bcast/goroutines/2/64", "allreduce/goroutines/2/64",
			"alltoall/goroutines/2/1", "alltoall/goroutines/2/64", "barrier/goroutines/2/0"}},
		{"goroutines-3-some-ops", []string{"-n", "3", "--ops", "barrier,allreduce"}, []string{
			"allreduce/goroutines/3/64", "barrier/goroutines/3/0"}},
		{"goroutines-messages-3", []string{"-n", "3", "--messages-only", "--ops", "allreduce"}, []string{
			"allreduce/goroutines-messages/3/64"}},
		{"goroutines-1", []string{"-n", "1", "--ops", "latency,bcast"}, []string{
			"bcast/goroutines/1/1", "bcast/goroutines/1/64"}},
		{"nats-2", []string{"--mode", "nats", "--ops", "latency,bandwidth,allreduce"}, []string{
			"latency/nats/2/1", "latency/nats/2/64", "bandwidth/nats/2/1", "bandwidth/nats/2/64", "allreduce/nats/2/64"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := keys(runCSV(t, append(tc.args, tiny...)...))
			if !slices.Equal(got, tc.want) {
				t.Errorf("rows\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestRunRaw(t *testing.T) {
	got := keys(runCSV(t, "--ops", "latency,bandwidth", "--sizes", "8", "--iters", "2", "--repeats", "1"))
	want := []string{"latency/goroutines/2/8", "latency/nats-raw/2/8", "reqreply/nats-raw/2/8",
		"bandwidth/goroutines/2/8", "bandwidth/nats-raw/2/8"}
	if !slices.Equal(got, want) {
		t.Errorf("rows\n%q\nwant\n%q", got, want)
	}
}

func TestRunTable(t *testing.T) {
	cfg, err := parseFlags([]string{"--ops", "barrier", "--iters", "3", "--raw=false"})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cfg.Stdout = &out
	if err := run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || strings.Fields(lines[0])[0] != "op" || strings.Fields(lines[1])[0] != "barrier" {
		t.Errorf("table output:\n%s", out.String())
	}
}

func TestCalibrate(t *testing.T) {
	cfg := config{Time: 40 * time.Millisecond, Repeats: 3}
	calls := 0
	t0 := time.Now()
	per, err := timer{cfg: &cfg}.perIter(context.Background(), func(n int) error {
		calls++
		time.Sleep(time.Duration(n) * 200 * time.Microsecond)
		return nil
	})
	wall := time.Since(t0).Seconds()
	if err != nil {
		t.Fatal(err)
	}
	// A sleep lasts at least its time; on a loaded machine it may last
	// much longer, but one iteration never outlasts the whole measurement.
	if per < 200e-6 || per > wall {
		t.Errorf("per iteration %v s of %v s in all, want about 200µs", per, wall)
	}
	if calls < 1+cfg.Repeats {
		t.Errorf("%d batches: want calibration plus %d repeats", calls, cfg.Repeats)
	}
}

func TestParseSizes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []int
		bad  bool
	}{
		{in: "1,8,1M", want: []int{1, 8, 1 << 20}},
		{in: "4KiB, 4k,2KB,64", want: []int{64, 2048, 4096}},
		{in: "1G", want: []int{1 << 30}},
		{in: "0", bad: true},
		{in: "x", bad: true},
		{in: "2G", bad: true},
		{in: "-8", bad: true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseSizes(tc.in)
			if tc.bad != (err != nil) || !tc.bad && !slices.Equal(got, tc.want) {
				t.Errorf("parseSizes(%q) = %v, %v; want %v (error: %v)", tc.in, got, err, tc.want, tc.bad)
			}
		})
	}
}

func TestParseFlagsBad(t *testing.T) {
	for _, args := range [][]string{
		{"--mode", "mpi"}, {"--format", "json"}, {"--ops", "gather"}, {"--sizes", "1,,zero"},
		{"-n", "0"}, {"--repeats", "0"}, {"--window", "0"}, {"--time", "0s"}, {"extra"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			if _, err := parseFlags(args); err == nil {
				t.Errorf("parseFlags(%q) accepted bad input", args)
			}
		})
	}
}

func TestBadFlagExits2(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "COMMBENCH_BE_MAIN=1", "COMMBENCH_ARGS=--ops gather")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("exit %v, want status 2", err)
	}
	if !strings.Contains(stderr.String(), `unknown operation "gather"`) {
		t.Errorf("stderr %q does not name the bad operation", stderr.String())
	}
}

func Example_parseOps() {
	ops, _ := parseOps("barrier,latency,all")
	fmt.Println(ops)
	ops, _ = parseOps("allreduce,latency")
	fmt.Println(ops)
	// Output:
	// [latency bandwidth bcast allreduce alltoall barrier]
	// [latency allreduce]
}

// TestFormatMBps: a positive rate never prints as zero, however slow the
// call, and ordinary rates keep three decimals.
func TestFormatMBps(t *testing.T) {
	for v, want := range map[float64]string{0: "0.000", 0.00028: "0.00028", 0.5: "0.500", 9412.3456: "9412.346"} {
		if got := formatMBps(v); got != want {
			t.Errorf("formatMBps(%v) = %q, want %q", v, got, want)
		}
	}
}
