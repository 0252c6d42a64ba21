package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gorun-dev/gorun/launcher/monitor"
)

// bench runs the sides of every workload and collects the table rows.
type bench struct {
	cfg     *config
	log     io.Writer // one line per run; io.Discard with --quiet
	tmp     string    // scratch directory: outputs, corpus copies, monitor files
	memo    map[string]sample
	corpora map[int]corpusInfo // word count inputs by repeat count
	rows    []row
	fail    bool // a Go side failed
}

func (b *bench) add(r row) { b.rows = append(b.rows, r) }

// gorunArgs is the gorun command line that runs prog with n ranks in mode.
func (b *bench) gorunArgs(mode string, n int, prog string, args []string) []string {
	g := []string{"-n", strconv.Itoa(n), "--mode", mode, "--oversubscribe", "--quiet", "--no-tag",
		"--", filepath.Join(b.cfg.Bin, prog)}
	return append(g, args...)
}

// gorun times the whole gorun process running prog on n ranks in mode,
// Repeats times. Equal runs are measured once and shared between rows.
func (b *bench) gorun(ctx context.Context, mode string, n int, prog string, args ...string) sample {
	key := fmt.Sprint(mode, n, prog, args)
	if s, ok := b.memo[key]; ok {
		return s
	}
	label := fmt.Sprintf("gorun %s %d %s", mode, n, prog)
	var secs []float64
	for i := 0; i < b.cfg.Repeats; i++ {
		d, err := b.exec(ctx, label, i, nil, filepath.Join(b.cfg.Bin, "gorun"), b.gorunArgs(mode, n, prog, args)...)
		if err != nil {
			b.fail = true
			s := sample{Err: err}
			b.memo[key] = s
			return s
		}
		secs = append(secs, d.Wall)
	}
	s := summarize(secs)
	b.memo[key] = s
	return s
}

// gorunSideBySide times prog at each rank count of ns, alternating between
// them run by run (1, N, 1, N, ...), so that the ratio of two of them is not
// skewed by the machine's speed drifting between two blocks of runs (a
// shared machine's can drift by 2x within one run: docs/performance.md).
// It does not use or fill the memo of gorun.
func (b *bench) gorunSideBySide(ctx context.Context, mode string, ns []int, prog string, args ...string) []sample {
	secs := make([][]float64, len(ns))
	out := make([]sample, len(ns))
	for i := 0; i < b.cfg.Repeats; i++ {
		for j, n := range ns {
			if out[j].Err != nil {
				continue
			}
			label := fmt.Sprintf("gorun %s %d %s (side by side)", mode, n, prog)
			d, err := b.exec(ctx, label, i, nil, filepath.Join(b.cfg.Bin, "gorun"), b.gorunArgs(mode, n, prog, args)...)
			if err != nil {
				b.fail = true
				out[j] = sample{Err: err}
				continue
			}
			secs[j] = append(secs[j], d.Wall)
		}
	}
	for j := range ns {
		if out[j].Err == nil {
			out[j] = summarize(secs[j])
		}
	}
	return out
}

// done is one finished command: its wall time, stdout and process state.
type done struct {
	Wall   float64
	Stdout []byte
	State  *os.ProcessState
}

// exec runs one command; a failure is an error carrying the last line of
// its stderr.
func (b *bench) exec(ctx context.Context, label string, i int, env []string, name string, args ...string) (done, error) {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start).Seconds()
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			err = fmt.Errorf("ran past --timeout %s", b.cfg.Timeout)
		}
		return done{}, fmt.Errorf("%s: %v%s", label, err, lastLine(stderr.String()))
	}
	fmt.Fprintf(b.log, "vsbaseline: %s [%d/%d]: %.3fs\n", label, i+1, b.cfg.Repeats, wall)
	return done{wall, stdout.Bytes(), cmd.ProcessState}, nil
}

// lastLine is ": " and the last non-empty line of s, or "".
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if l := strings.TrimSpace(lines[len(lines)-1]); l != "" {
		return ": " + l
	}
	return ""
}

// python runs a baseline script Repeats times and summarizes its
// "seconds=" line (the compute phase the script times itself). A missing
// interpreter or script, or a failed run, gives a sample with Err set.
func (b *bench) python(ctx context.Context, script string, args ...string) sample {
	if b.cfg.Python == "" {
		return sample{Err: errors.New("no python interpreter (--python)")}
	}
	path := filepath.Join(b.cfg.Baselines, script)
	if _, err := os.Stat(path); err != nil {
		return sample{Err: fmt.Errorf("no %s in --baselines %s", script, b.cfg.Baselines)}
	}
	label := "python " + script + " " + strings.Join(args, " ")
	var secs []float64
	for i := 0; i < b.cfg.Repeats; i++ {
		d, err := b.exec(ctx, label, i, nil, b.cfg.Python, append([]string{path}, args...)...)
		if err != nil {
			return sample{Err: err}
		}
		sec, err := parseSeconds(d.Stdout)
		if err != nil {
			return sample{Err: fmt.Errorf("%s: %w", label, err)}
		}
		secs = append(secs, sec)
	}
	return summarize(secs)
}

// parseSeconds reads the last "seconds=X" line of a baseline's output.
func parseSeconds(out []byte) (float64, error) {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(strings.TrimSpace(lines[i]), "seconds="); ok {
			return strconv.ParseFloat(v, 64)
		}
	}
	return 0, errors.New("no seconds= line in its output")
}

// peakRSS runs prog directly as an n-rank goroutine world (GORUN_MODE=goroutines
// GORUN_SIZE=n, what gorun --mode goroutines does) and summarizes its peak
// resident set from wait4's rusage, in MiB.
func (b *bench) peakRSS(ctx context.Context, n int, prog string, args ...string) sample {
	env := []string{"GORUN_MODE=goroutines", "GORUN_SIZE=" + strconv.Itoa(n)}
	label := fmt.Sprintf("%s as %d goroutine ranks (peak RSS)", prog, n)
	var mib []float64
	for i := 0; i < b.cfg.Repeats; i++ {
		d, err := b.exec(ctx, label, i, env, filepath.Join(b.cfg.Bin, prog), args...)
		if err != nil {
			b.fail = true
			return sample{Err: err}
		}
		kib, ok := maxRSSKiB(d.State)
		if !ok {
			return sample{Err: errors.New("no rusage on this system")}
		}
		mib = append(mib, float64(kib)/1024)
	}
	return summarize(mib)
}

// rankRSS runs prog under gorun --monitor with n process ranks and returns,
// per run, every rank's peak resident set (VmHWM as the monitor last saw
// it) in MiB, indexed by rank.
func (b *bench) rankRSS(ctx context.Context, n int, prog string, args ...string) ([][]float64, error) {
	mon := filepath.Join(b.tmp, "monitor")
	label := fmt.Sprintf("gorun processes %d %s (monitor)", n, prog)
	var runs [][]float64
	for i := 0; i < b.cfg.Repeats; i++ {
		g := append([]string{"--monitor", mon, "--monitor-interval", "20ms"}, b.gorunArgs("processes", n, prog, args)...)
		if _, err := b.exec(ctx, label, i, nil, filepath.Join(b.cfg.Bin, "gorun"), g...); err != nil {
			b.fail = true
			return nil, err
		}
		rep, err := monitor.ReadReport(mon)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", label, err)
		}
		per := make([]float64, n)
		for _, r := range rep.Ranks {
			if r.Rank >= 0 && r.Rank < n {
				per[r.Rank] = float64(r.PeakRSS) / (1 << 20)
			}
		}
		runs = append(runs, per)
	}
	return runs, nil
}
