package monitor

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/launcher"
)

// TestMonitorWritesFiles samples this test process while it burns CPU and
// checks every file the monitor promises.
func TestMonitorWritesFiles(t *testing.T) {
	dir := t.TempDir()
	var summary bytes.Buffer
	m := &Monitor{Path: filepath.Join(dir, "run.csv"), Interval: 10 * time.Millisecond, Stderr: &summary}
	job := &launcher.Job{ID: "test", Mode: launcher.ModeProcesses, Size: 1, PIDs: []int{os.Getpid()}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var spins atomic.Int64
	go func() { // keep a CPU busy while sampled
		for ctx.Err() == nil {
			for i := 0; i < 1e4; i++ {
				_ = strconv.Itoa(i)
			}
			spins.Add(1)
		}
	}()
	// The job ends once the sampler has taken 8 samples (it reads the
	// clock twice a sample) and the spinning goroutine has had CPU time,
	// however long a loaded machine makes that take.
	t0, reads := time.Now(), 0
	m.now = func() time.Time {
		reads++
		if reads >= 2*8 && spins.Load() >= 100 && time.Since(t0) >= 250*time.Millisecond {
			cancel()
		}
		return time.Now()
	}
	if err := m.Observe(ctx, job); err != nil {
		t.Fatal(err)
	}
	csvPath, jsonPath, _, _ := Files(m.Path)

	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "time_s,host,rank,pid,cpu_percent,rss_bytes" {
		t.Fatalf("header %q", got)
	}
	var ranks, totals int
	var maxCPU float64
	for _, r := range recs[1:] {
		if r[1] != localHost() {
			t.Errorf("row %v: host %q, want this machine's name %q", r, r[1], localHost())
		}
		r = append(r[:1:1], r[2:]...)
		rss, _ := strconv.ParseInt(r[4], 10, 64)
		cpu, _ := strconv.ParseFloat(r[3], 64)
		maxCPU = max(maxCPU, cpu)
		if rss <= 0 {
			t.Errorf("row %v: rss must be positive", r)
		}
		switch r[1] {
		case "0":
			ranks++
		case "total":
			totals++
		default:
			t.Errorf("row %v: rank %q, want 0 or total", r, r[1])
		}
	}
	if ranks < 8 || ranks != totals {
		t.Errorf("%d rank rows and %d total rows: want one each per sample, 8 or more", ranks, totals)
	}
	if maxCPU <= 0 {
		t.Errorf("peak CPU %.1f%% while a goroutine spins: want more", maxCPU)
	}

	rep, err := ReadReport(m.Path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(jsonPath); err != nil {
		t.Fatal(err)
	}
	if len(rep.Ranks) != 1 || rep.Ranks[0].PeakRSS <= 0 || rep.SumPeakRSS != rep.Ranks[0].PeakRSS || rep.Samples != ranks {
		t.Errorf("report %+v inconsistent with %d samples", rep, ranks)
	}
	if rep.SamplerBusySec <= 0 || rep.SamplerCPUSec <= 0 || rep.SamplerCPUSec > rep.WallSec/10 {
		t.Errorf("sampler busy %.4fs, CPU %.4fs of %.3fs: want a small positive share", rep.SamplerBusySec, rep.SamplerCPUSec, rep.WallSec)
	}
	for _, want := range []string{"rank 0 (pid", "peak RSS", "mean CPU", "the monitor used", "wrote " + csvPath} {
		if !strings.Contains(summary.String(), want) {
			t.Errorf("summary %q lacks %q", summary.String(), want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("%d files in the output directory, want exactly 2 (no temporaries)", len(entries))
	}
}

func TestFiles(t *testing.T) {
	for _, p := range []string{"out/run", "out/run.csv"} {
		c, j, png, svg := Files(p)
		if c != "out/run.csv" || j != "out/run.json" || png != "out/run.png" || svg != "out/run.svg" {
			t.Errorf("Files(%q) = %s %s %s %s", p, c, j, png, svg)
		}
	}
}

func TestMonitorValidate(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		m    Monitor
		want string
	}{
		{"fine", Monitor{Path: filepath.Join(dir, "run")}, ""},
		{"no name", Monitor{}, "no file name"},
		{"missing directory", Monitor{Path: filepath.Join(dir, "nope", "run")}, "does not exist"},
		{"negative interval", Monitor{Path: "run", Interval: -time.Second}, "must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.m.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ue *launcher.UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want a *UsageError with %q", err, tt.want)
			}
		})
	}
}

// TestMonitorRanksGone: ranks that exit before the first sample leave a
// header-only CSV, not a failure.
func TestMonitorRanksGone(t *testing.T) {
	m := &Monitor{Path: filepath.Join(t.TempDir(), "gone")}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.Observe(ctx, &launcher.Job{Mode: launcher.ModeProcesses, Size: 2, PIDs: []int{1 << 30, 1<<30 + 1}}); err != nil {
		t.Fatal(err)
	}
	csvPath, _, _, _ := Files(m.Path)
	b, err := os.ReadFile(csvPath)
	if err != nil || string(b) != "time_s,host,rank,pid,cpu_percent,rss_bytes\n" {
		t.Errorf("csv %q, %v: want the header alone", b, err)
	}
	if samples, err := ReadSamples(m.Path); err != nil || len(samples) != 0 {
		t.Errorf("ReadSamples = %v, %v; want none", samples, err)
	}
}

// TestMonitorPlot: Plot runs after the CSV and JSON are written, the
// summary names the figures only when it succeeded, and its error is
// Observe's.
func TestMonitorPlot(t *testing.T) {
	for _, fail := range []bool{false, true} {
		t.Run(fmt.Sprintf("fail=%v", fail), func(t *testing.T) {
			var summary bytes.Buffer
			m := &Monitor{Path: filepath.Join(t.TempDir(), "run"), Stderr: &summary}
			var sawSamples bool
			m.Plot = func(path string) error {
				_, err := ReadSamples(path)
				sawSamples = err == nil
				if fail {
					return errors.New("no plotter")
				}
				return nil
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := m.Observe(ctx, &launcher.Job{Mode: launcher.ModeGoroutines, Size: 1, PIDs: []int{os.Getpid()}})
			if !sawSamples {
				t.Error("Plot ran before the samples were written")
			}
			_, _, png, _ := Files(m.Path)
			if fail {
				if err == nil || !strings.Contains(err.Error(), "no plotter") {
					t.Errorf("Observe = %v, want the plot error", err)
				}
				if strings.Contains(summary.String(), png) {
					t.Errorf("summary %q names %s that was not drawn", &summary, png)
				}
				return
			}
			if err != nil || !strings.Contains(summary.String(), png) {
				t.Errorf("Observe = %v, summary %q: want no error and %s named", err, &summary, png)
			}
		})
	}
}

func TestReadSamplesBadInput(t *testing.T) {
	tests := []struct{ name, csv, want string }{
		{"no header", "0.1,0,1,2,3\n", "line 1: want the header"},
		{"bad rss", csvHeader + "\n0.0,h,0,1,0.0,10\n0.1,h,0,1,2.0,x\n", "line 3: rss_bytes \"x\""},
		{"bad rank", csvHeader + "\n0.0,h,r,1,0.0,10\n", "line 2: rank \"r\""},
		{"short row", csvHeader + "\n0.0,h,0,1\n", "wrong number of fields"},
		{"no host column, host row", csvHeaderNoHost + "\n0.0,h,0,1,0.0,10\n", "wrong number of fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.csv")
			if err := os.WriteFile(path, []byte(tt.csv), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadSamples(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("ReadSamples = %v; want an error naming %s and %q", err, path, tt.want)
			}
		})
	}
}

func TestReadReportBadInput(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"notjson": "{", "empty": "{}"} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path+".json", []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadReport(path); err == nil || !strings.Contains(err.Error(), path+".json") {
			t.Errorf("ReadReport(%s) = %v; want an error naming the file", name, err)
		}
	}
	if _, err := ReadReport(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadReport(missing) = %v; want os.ErrNotExist", err)
	}
}
