package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gorun-dev/gorun/internal/buildtest"
)

func TestMain(m *testing.M) { os.Exit(buildtest.Main(m)) }

// buildTools builds the programs the tests run (see buildtest).
func buildTools(t *testing.T) string {
	return buildtest.Programs(t, "gorun", "tracts", "wordcount", "pi")
}

// fakeData lays out the shared data directory's paths with the project's
// small copies: IL tracts, the IL ZIPs as the points table, testdata/text.
func fakeData(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	links := map[string]string{
		"tracts/il_2018.geojson": "../../testdata/geo/il_2018.geojson",
		"points/us_zipcodes.csv": "../../testdata/geo/zips_il.csv",
		"text/sotu":              "../../testdata/text",
	}
	for name, target := range links {
		abs, err := filepath.Abs(target)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(abs, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// fakePython is an interpreter that ignores its script and reports
// seconds=0.5, so every comparison has a known baseline.
func fakePython(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "python")
	if err := os.WriteFile(p, []byte("#!/bin/sh\necho load_seconds=9\necho seconds=0.5\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// runCSV runs vsbaseline with args and --format csv and returns the exit
// status and the records, header first.
func runCSV(t *testing.T, args ...string) (int, [][]string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append(args, "--format", "csv", "--quiet"), &stdout, &stderr)
	recs, err := csv.NewReader(&stdout).ReadAll()
	if err != nil && code == 0 {
		t.Fatalf("output is not CSV: %v\n%s", err, stdout.String())
	}
	return code, recs, stderr.String()
}

// tinyArgs run every workload on tiny inputs.
func tinyArgs(t *testing.T, python string) []string {
	return []string{"--bin", buildTools(t), "--data", fakeData(t), "--baselines", t.TempDir(),
		"--python", python, "-r", "1", "--dup", "1", "--go-dup", "2", "--pi-samples", "1e5",
		"--wordcount-times", "2", "--scaling-longer-times", "3", "--memory-ranks", "3"}
}

func TestRunTiny(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the programs")
	}
	tests := []struct {
		name    string
		python  func(*testing.T) string
		baseDir bool // write empty seed scripts into --baselines
		pyMet   []string
	}{
		{"fake python", fakePython, true, []string{"yes", "no"}},
		{"no python", func(*testing.T) string { return "/nonexistent/python3" }, false, []string{"n/a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tinyArgs(t, tt.python(t))
			if tt.baseDir {
				for _, s := range []string{"seed_tracts.py", "seed_wordcount.py", "seed_pi.py"} {
					if err := os.WriteFile(filepath.Join(args[5], s), nil, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			code, recs, stderr := runCSV(t, args...)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			if !slices.Equal(recs[0], csvHeader) {
				t.Fatalf("header %v, want %v", recs[0], csvHeader)
			}
			seen := map[string]bool{}
			for _, r := range recs[1:] {
				checkRecord(t, r, tt.pyMet, tt.baseDir)
				seen[strings.Fields(r[0])[0]] = true
			}
			if n := countSides(recs, "extrapolated"); tt.baseDir && n != 2 {
				t.Errorf("%d extrapolated python rows, want 2 (serial and pool2)", n)
			}
			for _, w := range []string{"tracts", "wordcount", "pi", "scaling", "memory"} {
				if !seen[w] {
					t.Errorf("no %s rows in\n%v", w, recs)
				}
			}
			checkCeiling(t, recs, 2)
			checkLonger(t, recs, "x3 ")
		})
	}
}

// checkRecord checks one CSV record: a measured gorun side has a positive
// median within its min-max; a comparison with a Python baseline is met
// as pyMet allows; Python rows are measured (0.5 s) or not available.
func checkRecord(t *testing.T, r []string, pyMet []string, pyOK bool) {
	t.Helper()
	if len(r) != len(csvHeader) {
		t.Fatalf("record %v has %d fields, want %d", r, len(r), len(csvHeader))
	}
	side, baseline, met := r[1], r[7], r[10]
	if strings.HasPrefix(side, "python") {
		switch {
		case pyOK && strings.Contains(side, "extrapolated"):
			if r[4] != "1" { // the fake's 0.5 s x go-dup 2 / dup 1
				t.Errorf("%v: extrapolated median %s, want 1", r, r[4])
			}
		case pyOK && r[4] != "0.5":
			t.Errorf("%v: python median %q, want the fake's 0.5", r, r[4])
		case !pyOK && !strings.HasPrefix(r[11], "not available"):
			t.Errorf("%v: python side without an interpreter is not marked not available", r)
		}
		return
	}
	med, errMed := strconv.ParseFloat(r[4], 64)
	lo, errLo := strconv.ParseFloat(r[5], 64)
	hi, errHi := strconv.ParseFloat(r[6], 64)
	if errMed != nil || errLo != nil || errHi != nil || med <= 0 || med < lo || med > hi {
		t.Errorf("%v: median/min/max not a positive range", r)
	}
	if strings.HasPrefix(baseline, "python") && !slices.Contains(pyMet, met) {
		t.Errorf("%v: met %q, want one of %v", r, met, pyMet)
	}
	if strings.HasPrefix(baseline, "gorun") || strings.HasPrefix(baseline, "goroutines") {
		if _, err := strconv.ParseFloat(r[8], 64); err != nil {
			t.Errorf("%v: Go-against-Go comparison without a ratio", r)
		}
		if r[9] != "" && met != "yes" && met != "no" {
			t.Errorf("%v: Go-against-Go target without a verdict", r)
		}
	}
}

var baselines = flag.String("baselines", "", "directory of the Python baselines for TestRealPiBaseline")

func TestRealPiBaseline(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Python")
	}
	if *baselines == "" {
		t.Skip("no -baselines DIR given (go test ./tools/vsbaseline -args -baselines DIR)")
	}
	script := filepath.Join(*baselines, "seed_pi.py")
	if _, err := os.Stat(script); err != nil {
		t.Fatalf("-baselines %s: %v", *baselines, err)
	}
	if findPython("/usr/bin/python3") == "" {
		t.Skip("no /usr/bin/python3")
	}
	args := append(tinyArgs(t, "/usr/bin/python3"), "--baselines", filepath.Dir(script), "--only", "pi", "--modes", "goroutines")
	code, recs, stderr := runCSV(t, args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	want := []string{"python serial", "python pool2", "gorun goroutines 2"}
	if len(recs) != 1+len(want) {
		t.Fatalf("got %d rows, want %d: %v", len(recs)-1, len(want), recs)
	}
	for i, side := range want {
		r := recs[i+1]
		if r[1] != side {
			t.Errorf("row %d side %q, want %q", i, r[1], side)
		}
		if v, err := strconv.ParseFloat(r[4], 64); err != nil || v <= 0 {
			t.Errorf("%v: no measured time (%s)", r, r[11])
		}
	}
	if recs[3][7] != "python pool2" || recs[3][8] == "" || recs[3][10] == "" {
		t.Errorf("gorun row %v is not compared with python pool2", recs[3])
	}
}

// fakeBin is a --bin directory whose programs exist but are empty:
// enough for the checks that come before anything runs.
func fakeBin(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, p := range []string{"gorun", "tracts", "wordcount", "pi"} {
		if err := os.WriteFile(filepath.Join(dir, p), nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"help", []string{"--help"}, 0, ""},
		{"unknown workload", []string{"--only", "tracts,nope"}, 2, `unknown workload "nope"`},
		{"zero repeats", []string{"-r", "0"}, 2, "--repeats 0"},
		{"bad format", []string{"--format", "json"}, 2, `--format "json"`},
		{"bad mode", []string{"--modes", "threads"}, 2, `"threads" is not processes or goroutines`},
		{"bad samples", []string{"--pi-samples", "1.5"}, 2, "not a whole number"},
		{"no programs", []string{"--bin", "/nonexistent"}, 2, "no gorun program there"},
		{"no baselines", []string{"--bin", fakeBin(t), "--data", t.TempDir()}, 2, "--baselines DIR is required"},
		{"no data", []string{"--bin", fakeBin(t), "--baselines", t.TempDir()}, 2, "--data DIR is required"},
		{"baselines not a directory", []string{"--bin", fakeBin(t), "--data", t.TempDir(), "--baselines", "/nonexistent"}, 2, "--baselines /nonexistent: not a directory"},
		{"argument", []string{"extra"}, 2, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr.String(), tt.code, tt.msg)
			}
			if tt.code == 0 && !strings.Contains(stdout.String(), "--baselines") {
				t.Errorf("--help printed no flags: %q", stdout.String())
			}
		})
	}
}

// countSides counts the records whose side contains s.
func countSides(recs [][]string, s string) int {
	n := 0
	for _, r := range recs[1:] {
		if strings.Contains(r[1], s) {
			n++
		}
	}
	return n
}

// checkLonger checks the informative scaling rows of the longer word count
// (name holds its size): 1 and 2 ranks in both modes, a speed-up, no target.
func checkLonger(t *testing.T, recs [][]string, name string) {
	t.Helper()
	var sides []string
	for _, r := range recs[1:] {
		if !strings.HasPrefix(r[0], "scaling wordcount "+name) {
			continue
		}
		if !strings.HasSuffix(r[0], "no target") || r[9] != "" || r[10] != "" {
			t.Errorf("longer scaling row %v has a target", r)
		}
		if r[7] != "" {
			if v, err := strconv.ParseFloat(r[8], 64); err != nil || v <= 0 {
				t.Errorf("longer scaling row %v: no speed-up", r)
			}
		}
		sides = append(sides, r[1])
	}
	want := []string{"gorun processes 1", "gorun processes 2", "gorun goroutines 1", "gorun goroutines 2"}
	if !slices.Equal(sides, want) {
		t.Errorf("longer scaling rows for %v, want %v", sides, want)
	}
}

// checkCeiling checks the machine-ceiling rows of n copies: one copy alone,
// then n at once compared with it, whose ratio is n x alone / at once.
func checkCeiling(t *testing.T, recs [][]string, n int) {
	t.Helper()
	var rows [][]string
	for _, r := range recs[1:] {
		if strings.HasPrefix(r[0], "scaling ceiling") {
			rows = append(rows, r)
		}
	}
	if len(rows) != 2 || rows[0][1] != "1 copy alone" || rows[1][1] != strconv.Itoa(n)+" copies at once" || rows[1][7] != "1 copy alone" {
		t.Fatalf("ceiling rows %v, want 1 copy alone and %d copies at once against it", rows, n)
	}
	alone, err1 := strconv.ParseFloat(rows[0][4], 64)
	together, err2 := strconv.ParseFloat(rows[1][4], 64)
	ratio, err3 := strconv.ParseFloat(rows[1][8], 64)
	if err1 != nil || err2 != nil || err3 != nil || alone <= 0 || together <= 0 {
		t.Fatalf("ceiling rows %v: no times or ratio", rows)
	}
	// The medians and the ratio are printed to 3 significant digits.
	if want := float64(n) * alone / together; math.Abs(ratio-want) > 0.02*want {
		t.Errorf("ceiling ratio %v, want %d x %v / %v = %.3g", ratio, n, alone, together, want)
	}
}
