//go:build linux

package launcher_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gorun-dev/gorun/launcher"
)

// runDirect runs every rank of a direct launch of the helper, each through
// its own RunDirect as each srun task's gorun would, and returns their
// results by rank.
func runDirect(t *testing.T, n int, args ...string) ([]error, string) {
	t.Helper()
	dir := t.TempDir()
	errs := make([]error, n)
	var wg sync.WaitGroup
	var outs []*syncBuffer
	for rank := range n {
		cfg, out, errb := helperConfig(n, args...)
		outs = append(outs, out, errb)
		d := launcher.Direct{Rank: rank, Size: n, Local: rank, LocalSize: n, Nodes: 1, Key: "job.0", Dir: dir}
		wg.Go(func() { errs[rank] = launcher.RunDirect(context.Background(), cfg, d) })
	}
	wg.Wait()
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) > 0 {
		t.Errorf("rendezvous files left: %v", left)
	}
	var all strings.Builder
	for _, b := range outs {
		all.WriteString(b.String())
	}
	return errs, all.String()
}

func TestRunDirect(t *testing.T) {
	errs, out := runDirect(t, 3, "print", "hello", "there")
	for rank, err := range errs {
		if err != nil {
			t.Fatalf("rank %d: %v", rank, err)
		}
	}
	if strings.Count(out, "hello") != 3 {
		t.Fatalf("want hello from 3 ranks, got:\n%s", out)
	}
}

// A rank that fails on its own is named by every rank's gorun, with its
// code, so srun reports the job's real cause whichever task it asks.
func TestRunDirectFailure(t *testing.T) {
	errs, out := runDirect(t, 3, "blame", "2", "panic")
	for rank, err := range errs {
		var ee *launcher.ExitError
		if !errors.As(err, &ee) || ee.Rank != 2 || ee.Code != 2 {
			t.Fatalf("rank %d: %v; want rank 2's panic (code 2)\n%s", rank, err, out)
		}
	}
}

func TestRunDirectNoRendezvous(t *testing.T) {
	cfg, _, _ := helperConfig(2, "print", "a", "b")
	d := launcher.Direct{Rank: 1, Size: 2, Nodes: 1, Key: "none", Dir: t.TempDir(), Wait: 1}
	err := launcher.RunDirect(context.Background(), cfg, d)
	if err == nil || !strings.Contains(err.Error(), "rank 0's bus did not appear") {
		t.Fatalf("err = %v", err)
	}
}
