package launcher

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	tests := []struct {
		name    string
		stat    string
		want    float64
		wantErr bool
	}{
		{"plain", "42 (pi) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 100 1000 200", 3.0, false},
		{"name with spaces and parens", "7 (a) b (c) R 1 7 7 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 1 1 1", 0.03, false},
		{"no name", "7 a R 1", 0, true},
		{"too short", "7 (a) R 1 2 3", 0, true},
		{"bad number", "7 (a) R 1 7 7 0 -1 0 0 0 0 0 x 2 0 0", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseStatCPU([]byte(tt.stat))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("cpu = %v s, want %v", got, tt.want)
			}
		})
	}
}

func TestProcField(t *testing.T) {
	status := []byte("Name:\tpi\nVmHWM:\t   9000 kB\nVmRSS:\t    8804 kB\nThreads:\t5\n")
	io := []byte("rchar: 4096\nwchar: 123\nsyscr: 9\n")
	tests := []struct {
		file []byte
		key  string
		want int64
	}{{status, "VmRSS:", 8804}, {status, "VmHWM:", 9000}, {status, "VmSwap:", 0}, {io, "rchar:", 4096}, {io, "wchar:", 123}}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if got := procField(tt.file, tt.key); got != tt.want {
				t.Errorf("procField(%s) = %d, want %d", tt.key, got, tt.want)
			}
		})
	}
}

func TestReadProcSelf(t *testing.T) {
	s, _, err := readProc(os.Getpid(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.rss <= 0 || s.peakRSS < s.rss || s.cpuSec < 0 {
		t.Errorf("self sample %+v: want rss > 0, peak >= rss", s)
	}
	if _, _, err := readProc(1<<30, nil); err == nil {
		t.Error("sampling a pid that does not exist: want an error")
	}
}

// TestMonitorWritesFiles samples this test process while it burns CPU and
// checks every file the monitor promises.
func TestMonitorWritesFiles(t *testing.T) {
	dir := t.TempDir()
	var summary bytes.Buffer
	m := &Monitor{Path: filepath.Join(dir, "run.csv"), Interval: 10 * time.Millisecond, Stderr: &summary}
	job := &Job{ID: "test", Mode: ModeProcesses, Size: 1, PIDs: []int{os.Getpid()}}
	ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
	defer cancel()
	go func() { // keep a CPU busy while sampled
		for ctx.Err() == nil {
			for i := 0; i < 1e5; i++ {
				_ = strconv.Itoa(i)
			}
		}
	}()
	if err := m.Observe(ctx, job); err != nil {
		t.Fatal(err)
	}
	csvPath, jsonPath, pngPath, svgPath := MonitorFiles(m.Path)

	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "time_s,rank,pid,cpu_percent,rss_bytes" {
		t.Fatalf("header %q", got)
	}
	var ranks, totals int
	var maxCPU float64
	for _, r := range recs[1:] {
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
	if ranks < 5 || ranks != totals {
		t.Errorf("%d rank rows and %d total rows: want one each per sample, 5 or more", ranks, totals)
	}
	if maxCPU < 10 {
		t.Errorf("peak CPU %.1f%% while a goroutine spins: want more", maxCPU)
	}

	var rep MonitorReport
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Ranks) != 1 || rep.Ranks[0].PeakRSS <= 0 || rep.SumPeakRSS != rep.Ranks[0].PeakRSS || rep.Samples != ranks {
		t.Errorf("report %+v inconsistent with %d samples", rep, ranks)
	}
	if rep.SamplerBusySec <= 0 || rep.SamplerCPUSec <= 0 || rep.SamplerCPUSec > rep.WallSec/10 {
		t.Errorf("sampler busy %.4fs, CPU %.4fs of %.3fs: want a small positive share", rep.SamplerBusySec, rep.SamplerCPUSec, rep.WallSec)
	}
	for _, p := range []struct{ path, magic string }{{pngPath, "\x89PNG"}, {svgPath, "<?xml"}} {
		b, err := os.ReadFile(p.path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte(p.magic)) || len(b) < 1000 {
			t.Errorf("%s: %d bytes starting %q, want a plot", p.path, len(b), b[:min(len(b), 8)])
		}
	}
	for _, want := range []string{"rank 0 (pid", "peak RSS", "mean CPU", "the monitor used", "wrote " + csvPath} {
		if !strings.Contains(summary.String(), want) {
			t.Errorf("summary %q lacks %q", summary.String(), want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 4 {
		t.Errorf("%d files in the output directory, want exactly 4 (no temporaries)", len(entries))
	}
}

func TestMonitorFiles(t *testing.T) {
	for _, p := range []string{"out/run", "out/run.csv"} {
		c, j, png, svg := MonitorFiles(p)
		if c != "out/run.csv" || j != "out/run.json" || png != "out/run.png" || svg != "out/run.svg" {
			t.Errorf("MonitorFiles(%q) = %s %s %s %s", p, c, j, png, svg)
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
			var ue *UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want a *UsageError with %q", err, tt.want)
			}
		})
	}
}

// TestMonitorRanksGone: ranks that exit before the first sample leave a
// header-only CSV and empty plots, not a failure.
func TestMonitorRanksGone(t *testing.T) {
	m := &Monitor{Path: filepath.Join(t.TempDir(), "gone")}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.Observe(ctx, &Job{Mode: ModeProcesses, Size: 2, PIDs: []int{1 << 30, 1<<30 + 1}}); err != nil {
		t.Fatal(err)
	}
	csvPath, _, pngPath, _ := MonitorFiles(m.Path)
	b, err := os.ReadFile(csvPath)
	if err != nil || string(b) != "time_s,rank,pid,cpu_percent,rss_bytes\n" {
		t.Errorf("csv %q, %v: want the header alone", b, err)
	}
	if fi, err := os.Stat(pngPath); err != nil || fi.Size() == 0 {
		t.Errorf("png: %v", err)
	}
}
