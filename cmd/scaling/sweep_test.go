package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/internal/buildtest"
)

func TestMain(m *testing.M) { os.Exit(buildtest.Main(m)) }

// buildTools builds the programs the tests run (see buildtest).
func buildTools(t *testing.T) string { return buildtest.Programs(t, "gorun", "pi") }

// readCSV returns the rows of a CSV file as maps from header to value.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func num64(t *testing.T, row map[string]string, col string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(row[col], 64)
	if err != nil {
		t.Fatalf("row %v: column %s: %v", row, col, err)
	}
	return v
}

// TestTinySweep runs a real sweep of pi at 1 and 2 ranks, both modes,
// strong and weak, and checks the CSVs and the plots.
func TestTinySweep(t *testing.T) {
	bin := buildTools(t)
	out := filepath.Join(t.TempDir(), "plots")
	var stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code := run(ctx, []string{"--out", out, "--gorun", filepath.Join(bin, "gorun"), "--max-ranks", "2", "--repeat", "2",
		"--cores", "1", "--no-warmup", "--monitor-interval", "5ms",
		"--name", "pi", "--", filepath.Join(bin, "pi"), "--samples", "{n*5000000}"}, &bytes.Buffer{}, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}

	rows := readCSV(t, filepath.Join(out, "scaling.csv"))
	if len(rows) != 8 {
		t.Fatalf("%d summary rows, want 8 (2 scalings x 2 modes x 2 rank counts)", len(rows))
	}
	byKey := map[string]map[string]string{}
	for _, r := range rows {
		byKey[r["scaling"]+" "+r["mode"]+" "+r["ranks"]] = r
		n := num64(t, r, "ranks")
		if r["repeats"] != "2" || r["cores"] != "1" || r["oversubscribed"] != strconv.FormatBool(n > 1) {
			t.Errorf("row %v: want 2 repeats, 1 core, oversubscribed only above 1 rank", r)
		}
		tmin, tmed, tmax := num64(t, r, "time_min_s"), num64(t, r, "time_median_s"), num64(t, r, "time_max_s")
		if !(0 < tmin && tmin <= tmed && tmed <= tmax) {
			t.Errorf("row %v: want 0 < min <= median <= max", r)
		}
		if e, s := num64(t, r, "efficiency"), num64(t, r, "speedup"); !near(e*n, s) && (e*n-s)/s > 1e-3 {
			t.Errorf("row %v: efficiency*n = %v, speedup %v", r, e*n, s)
		}
		if num64(t, r, "peak_rss_bytes") < 1<<20 {
			t.Errorf("row %v: peak RSS under 1 MiB", r)
		}
		kfWanted := r["scaling"] == "strong" && n > 1
		if (r["karp_flatt"] != "") != kfWanted {
			t.Errorf("row %v: Karp-Flatt present %v, want %v", r, r["karp_flatt"] != "", kfWanted)
		}
	}
	for _, k := range []string{"strong processes 1", "weak goroutines 1"} {
		if byKey[k]["speedup"] != "1" {
			t.Errorf("%s: speedup %q, want 1 (the baseline)", k, byKey[k]["speedup"])
		}
	}
	if byKey["strong processes 1"]["factor"] != "1" || byKey["weak processes 2"]["factor"] != "2" {
		t.Errorf("factors %q and %q: want strong 1, weak 2", byKey["strong processes 1"]["factor"], byKey["weak processes 2"]["factor"])
	}
	// Two ranks on a bus move bytes; two goroutines share memory.
	if p, g := num64(t, byKey["strong processes 2"], "bus_in_bytes"), num64(t, byKey["strong goroutines 2"], "bus_in_bytes"); p <= g {
		t.Errorf("bus bytes: processes %v, goroutines %v: want processes more", p, g)
	}

	runs := readCSV(t, filepath.Join(out, "scaling_runs.csv"))
	if len(runs) != 16 {
		t.Errorf("%d runs, want 16", len(runs))
	}
	for _, name := range []string{"pi_strong.png", "pi_strong.svg", "pi_weak.png", "pi_weak.svg"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < 10_000 {
			t.Errorf("%s: %d bytes, want a real plot", name, len(b))
		}
		if strings.HasSuffix(name, ".png") && !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("%s is not a PNG", name)
		}
		if strings.HasSuffix(name, ".svg") && !bytes.Contains(b[:min(len(b), 400)], []byte("<svg")) {
			t.Errorf("%s is not an SVG", name)
		}
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 6 {
		t.Errorf("%d entries in the output directory, want 6 (no scratch left)", len(entries))
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no workload", []string{"--out", "X"}, "no workload"},
		{"bad ranks", []string{"--ranks", "2,4", "--", "true"}, "must start at 1"},
		{"bad mode", []string{"--modes", "threads", "--", "true"}, `"threads" is not one of`},
		{"weak without template", []string{"--scaling", "weak", "--", "true"}, "weak scaling needs"},
		{"bad template", []string{"--workload", "a=prog {x}"}, "bad template"},
		{"two names alike", []string{"--scaling", "strong", "--workload", "a=p", "--workload", "a=q"}, "used twice"},
		{"no repeats", []string{"--repeat", "0", "--", "true"}, "--repeat 0"},
		{"unknown flag", []string{"--nope"}, "unknown flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := append([]string{"--out", filepath.Join(dir, "out"), "--gorun", "/bin/true"}, tt.args...)
			for i, a := range args {
				if a == "X" {
					args[i] = filepath.Join(dir, "x")
				}
			}
			var stderr bytes.Buffer
			code := run(context.Background(), args, &bytes.Buffer{}, &stderr)
			if code != 2 || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q: want 2 and %q", code, stderr.String(), tt.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("bad usage created %d files", len(entries))
			}
		})
	}
}

// TestFailingRun names the workload and the command when a run fails.
func TestFailingRun(t *testing.T) {
	bin := buildTools(t)
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"--out", t.TempDir(), "--gorun", filepath.Join(bin, "gorun"), "--max-ranks", "1",
		"--repeat", "1", "--scaling", "strong", "--modes", "processes", "--name", "pi", "--", filepath.Join(bin, "pi"), "--samples", "-5"},
		&bytes.Buffer{}, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "pi strong (processes, 1 ranks) failed") {
		t.Errorf("exit %d, stderr %q: want 1 naming the failed run", code, stderr.String())
	}
}
