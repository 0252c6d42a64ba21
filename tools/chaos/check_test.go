//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The pass rule of the output rows: the old file or the whole new one,
// and nothing else in the directory.
func TestCheckOutput(t *testing.T) {
	data := t.TempDir()
	fixture.golden = filepath.Join(data, "golden.tsv")
	os.WriteFile(fixture.golden, []byte("a\t2\nb\t1\n"), 0o644)
	const old = "old\n"
	tests := []struct {
		name     string
		hadOld   bool
		files    map[string]string
		fail     string // part of the failure; "" for a pass
		finished bool
	}{
		{"old kept", true, map[string]string{"out.tsv": old}, "", false},
		{"new complete", true, map[string]string{"out.tsv": "a\t2\nb\t1\n"}, "", true},
		{"nothing made", false, nil, "", false},
		{"partial", true, map[string]string{"out.tsv": "a\t2\n"}, "partial output", false},
		{"litter", true, map[string]string{"out.tsv": old, ".out.tsv.tmp123": "a\t"}, "litter: .out.tsv.tmp123 (2 bytes)", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
			}
			fail, finished := checkOutput(dir, filepath.Join(dir, "out.tsv"), tt.hadOld, old)
			if tt.fail == "" && fail != "" || !strings.Contains(fail, tt.fail) || finished != tt.finished {
				t.Errorf("checkOutput = %q, %v; want %q, %v", fail, finished, tt.fail, tt.finished)
			}
		})
	}
}

func TestQuantile(t *testing.T) {
	ds := []time.Duration{5, 1, 4, 2, 3}
	for i := range ds {
		ds[i] *= time.Millisecond
	}
	if got := quantile(ds, 0.5); got != 3*time.Millisecond {
		t.Errorf("median %v, want 3ms", got)
	}
	if got := quantile(ds, 0.95); got != 5*time.Millisecond {
		t.Errorf("p95 %v, want 5ms", got)
	}
}

// markedProcs finds a marked process and its marked child, and leftovers
// ends them and names them.
func TestLeftovers(t *testing.T) {
	dir := t.TempDir()
	cmd := marked("sh", []string{"-c", "sleep 60 & sleep 60"}, dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for len(markedProcs(dir)) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("found %v, want the shell and its sleeps", markedProcs(dir))
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := leftovers(dir, 50*time.Millisecond); !strings.Contains(got, "sleep 60") {
		t.Errorf("leftovers = %q, want the sleeps named", got)
	}
	if got := leftovers(dir, 10*time.Second); got != "" {
		t.Errorf("after the kill: %q", got)
	}
	if got := leftovers(t.TempDir(), 0); got != "" {
		t.Errorf("another trial's mark: %q", got)
	}
}

func TestOneLine(t *testing.T) {
	if got := oneLine("a\n\tb  c\n"); got != "a b c" {
		t.Errorf("oneLine = %q", got)
	}
	if got := oneLine(strings.Repeat("x", 500)); len(got) != 403 {
		t.Errorf("oneLine kept %d bytes, want 400 and an ellipsis", len(got))
	}
}
