package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/kernels/montecarlo"
)

// TestMain lets the test binary stand in for the pi binary (the os/exec
// helper-process pattern): with PI_BE_MAIN=1 it runs main.
func TestMain(m *testing.M) {
	if os.Getenv("PI_BE_MAIN") == "1" {
		os.Args = append([]string{"pi"}, strings.Fields(os.Getenv("PI_ARGS"))...)
		main()
	}
	os.Exit(m.Run())
}

// worldHits runs hits on n goroutine ranks and returns what each rank got.
func worldHits(t *testing.T, n int, samples int64, seed uint64) []int64 {
	t.Helper()
	got := make([]int64, n)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := comm.Run(ctx, n, func(ctx context.Context, c *comm.Comm) error {
		h, err := hits(ctx, c, samples, seed)
		got[c.Rank()] = h
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestHitsReproducible(t *testing.T) {
	const samples = 1_000_003
	for _, n := range []int{1, 2, 3, 4} {
		t.Run(fmt.Sprint("ranks=", n), func(t *testing.T) {
			// The answer is each rank's stream over its share, summed.
			var want int64
			for r := range n {
				want += montecarlo.Hits(montecarlo.NewRand(7, uint64(r)), montecarlo.Share(samples, n, r))
			}
			for run := range 2 {
				for r, h := range worldHits(t, n, samples, 7) {
					if h != want {
						t.Errorf("run %d rank %d: hits %d, want %d", run, r, h, want)
					}
				}
			}
			if pi := montecarlo.Estimate(want, samples); math.Abs(pi-math.Pi) > 0.01 {
				t.Errorf("estimate %v far from pi", pi)
			}
		})
	}
}

func TestHitsSeedMatters(t *testing.T) {
	a, b := worldHits(t, 2, 100_000, 1)[0], worldHits(t, 2, 100_000, 2)[0]
	if a == b {
		t.Errorf("seeds 1 and 2 both gave %d hits", a)
	}
}

func TestHitsProgressBlocks(t *testing.T) {
	// More than one progress block: blocks must continue the stream, not restart it.
	const samples = progressBlock + 12345
	want := montecarlo.Hits(montecarlo.NewRand(3, 0), samples)
	if got := worldHits(t, 1, samples, 3)[0]; got != want {
		t.Errorf("hits %d, want %d", got, want)
	}
}

func TestRunReport(t *testing.T) {
	var out bytes.Buffer
	cfg := config{Samples: 200_000, Seed: 5, Stdout: &out}
	err := comm.Run(context.Background(), 2, func(ctx context.Context, c *comm.Comm) error { return run(ctx, c, cfg) })
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^pi=(3\.1\d+) abs_err=(\S+) samples=200000 ranks=2 seed=5\nseconds=\d+\.\d+ ns_per_sample=\d+\.\d+\n$`)
	m := re.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("report %q does not match %v", out.String(), re)
	}
	var pi, abs float64
	fmt.Sscan(m[1], &pi)
	fmt.Sscan(m[2], &abs)
	if want := math.Abs(pi - math.Pi); math.Abs(want-abs) > 1e-3*want {
		t.Errorf("abs_err %v is not |%v - pi|", abs, pi)
	}
}

func TestCountFlag(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  bool
	}{
		{"100000000", 1e8, false},
		{"100_000_000", 1e8, false},
		{"1e8", 1e8, false},
		{"2.5e3", 2500, false},
		{"1.5", 0, true},
		{"lots", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var n count
			err := n.Set(tt.in)
			if (err != nil) != tt.err || (!tt.err && int64(n) != tt.want) {
				t.Errorf("Set(%q) = %d, %v; want %d (error %v)", tt.in, n, err, tt.want, tt.err)
			}
		})
	}
}

// TestMainExitCodes runs the real main for its exit status and output.
func TestMainExitCodes(t *testing.T) {
	tests := []struct {
		name, args, size string
		code             int
		stdout, stderr   string
	}{
		{"alone", "--samples 1e5 --seed 3", "1", 0, "samples=100000 ranks=1 seed=3", ""},
		{"two ranks", "--samples 100_000", "2", 0, "ranks=2 seed=1", ""},
		{"zero samples", "--samples 0", "1", 2, "", "at least 1"},
		{"bad samples", "--samples many", "1", 2, "", "not a whole number"},
		{"extra argument", "--samples 10 foo", "1", 2, "", "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "PI_BE_MAIN=1", "PI_ARGS="+tt.args, "GORUN_SIZE="+tt.size, "GORUN_MODE=goroutines")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := errors.AsType[*exec.ExitError](err); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stdout %q, stderr %q; want them to contain %q and %q", stdout.String(), stderr.String(), tt.stdout, tt.stderr)
			}
		})
	}
}
