package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyRun copies the monitor's sample output into a fresh directory and
// returns the --monitor path there.
func copyRun(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, ext := range []string{".csv", ".json"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "launcher", "monitor", "testdata", "run"+ext))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "run"+ext), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "run")
}

func TestRun(t *testing.T) {
	path := copyRun(t)
	var stdout, stderr bytes.Buffer
	if code := run([]string{path + ".csv"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, &stderr)
	}
	for ext, magic := range map[string]string{".png": "\x89PNG", ".svg": "<?xml"} {
		b, err := os.ReadFile(path + ext)
		if err != nil || !bytes.HasPrefix(b, []byte(magic)) {
			t.Errorf("%s%s: %v, %q: want a figure", path, ext, err, b[:min(len(b), 8)])
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 4 {
		t.Errorf("%d files, want csv, json, png, svg and no temporaries", len(entries))
	}
}

func TestRunBadInput(t *testing.T) {
	path := copyRun(t)
	if err := os.WriteFile(path+".csv", []byte("time_s,rank,pid,cpu_percent,rss_bytes\n0.0,0,1,x,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no file", nil, 2, "no file to draw"},
		{"missing", []string{filepath.Join(t.TempDir(), "none")}, 2, "none.json"},
		{"malformed", []string{path}, 2, "run.csv: line 2: cpu_percent"},
		{"help", []string{"--help"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, &stderr, tt.code, tt.msg)
			}
		})
	}
	if _, err := os.Stat(path + ".png"); !os.IsNotExist(err) {
		t.Errorf("a malformed input left %s.png (%v)", path, err)
	}
}

// --commbench draws a commbench --fit report next to it.
func TestCommbenchFit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fit.json")
	report := `{"ranks":4,"nodes":1,"links":[{"mode":"nats","alpha_us":30,"beta_MBps":700,"r2":0.99,"sizes":4}],
"collectives":[{"op":"bcast","mode":"nats","ranks":4,"bytes":8,"usec":80,"model_us":60,"algorithm":"binomial tree + barrier","links":"nats"},
{"op":"bcast","mode":"nats","ranks":4,"bytes":65536,"usec":500,"model_us":300,"algorithm":"binomial tree + barrier","links":"nats"}]}`
	if err := os.WriteFile(path, []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--commbench", path, "--link", "1gbit"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, &stderr)
	}
	base := strings.TrimSuffix(path, ".json")
	for ext, magic := range map[string]string{".png": "\x89PNG", ".svg": "<?xml"} {
		b, err := os.ReadFile(base + ext)
		if err != nil || !bytes.HasPrefix(b, []byte(magic)) {
			t.Errorf("%s%s: %v: want a figure", base, ext, err)
		}
	}
}

func TestCommbenchFitBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("op,mode\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"not a report", []string{"--commbench", bad}, "bad.json: not a commbench --fit report"},
		{"missing", []string{"--commbench", filepath.Join(dir, "none.json")}, "none.json"},
		{"link alone", []string{"--link", "1gbit", "x"}, "--link goes with --commbench"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tc.args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, &stderr, tc.want)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in %s after failures, want only the bad input", len(entries), dir)
	}
}
