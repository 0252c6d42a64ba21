//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// hangAfter is gorun's --timeout in the trials: a job still running then
// is a hang (exit 124).
const hangAfter = 30 * time.Second

// rankFailRows are the trials of a rank failing while the others wait on
// it, in both modes: gorun's status is the rank's, the rank named first
// is the one that failed, and no descendant is left.
func rankFailRows() []Row {
	var rows []Row
	for _, mode := range []string{"processes", "goroutines"} {
		for _, how := range []string{"exit", "panic", "kill", "error"} {
			if mode == "goroutines" && how == "kill" {
				continue // SIGKILL ends the one process of every rank
			}
			k := rankFail{mode: mode, how: how}
			rows = append(rows, Row{Name: fmt.Sprintf("rank %s (%s)", k.what(), mode), Trial: k.trial})
		}
	}
	return rows
}

// rankFail makes one random rank of 2-4 fail in the way how at a random
// moment in its first 300 ms.
type rankFail struct{ mode, how string }

func (k rankFail) what() string {
	return map[string]string{"exit": "exits 3", "panic": "panics", "kill": "kills itself -9", "error": "returns an error"}[k.how]
}

// wantCode is gorun's status when a rank fails in the way how.
var wantCode = map[string]int{"exit": 3, "panic": 2, "kill": 128 + 9, "error": 1}

var (
	launcherBlame = regexp.MustCompile(`(?m)^gorun: rank (\d+) `)
	programBlame  = regexp.MustCompile(`(?m)^(?:\[rank \d+\] )?rankprog: (?:comm: )?rank (\d+): `)
)

func (k rankFail) trial(ctx context.Context, e *Env, dir string) Outcome {
	n := 2 + e.Rand.IntN(3)
	victim := e.Rand.IntN(n)
	after := time.Duration(e.Rand.Int64N(int64(300 * time.Millisecond)))
	args := gorunArgs(e, k.mode, n, hangAfter, "fail", "--rank", strconv.Itoa(victim), "--how", k.how,
		"--after", after.String(), "--dir", dir)
	cmd := marked(e.Gorun, args, dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return Outcome{Fail: err.Error()}
	}
	cmd.Wait()
	end := time.Now()
	o := Outcome{Fail: leftovers(dir, 2*time.Second)}
	if b, err := os.ReadFile(filepath.Join(dir, "failed")); err == nil {
		if ns, err := strconv.ParseInt(string(b), 10, 64); err == nil {
			o.Teardown = end.Sub(time.Unix(0, ns))
		}
	} else if o.Fail == "" {
		o.Fail = "rank " + strconv.Itoa(victim) + " never reached its failure"
	}
	var fails []string
	if o.Fail != "" {
		fails = append(fails, o.Fail)
	}
	if code := exitCode(cmd); code == 124 {
		fails = append(fails, fmt.Sprintf("hang: gorun -n %d ended by --timeout %v", n, hangAfter))
	} else if code != wantCode[k.how] {
		fails = append(fails, fmt.Sprintf("gorun exited %d, want %d", code, wantCode[k.how]))
	}
	blame := launcherBlame
	if k.mode == "goroutines" {
		blame = programBlame
	}
	if m := blame.FindSubmatch(stderr.Bytes()); m == nil {
		fails = append(fails, "no rank named: "+firstLines(stderr.String(), 2))
	} else if string(m[1]) != strconv.Itoa(victim) {
		fails = append(fails, fmt.Sprintf("rank %s named, rank %d failed: %s", m[1], victim, firstLines(stderr.String(), 2)))
	}
	o.Fail = strings.Join(fails, "; ")
	return o
}

// firstLines is s's first n lines, joined by " | ".
func firstLines(s string, n int) string {
	lines := strings.SplitN(strings.TrimSpace(s), "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], " | ")
}

// launcherSignalRows are the trials of the launcher killed or stopped by
// a signal while every rank and a child of each run: nothing of the job
// may be left 2 s later.
func launcherSignalRows() []Row {
	var rows []Row
	for _, mode := range []string{"processes", "goroutines"} {
		for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM, syscall.SIGINT} {
			k := launcherSignal{mode: mode, sig: sig}
			rows = append(rows, Row{Name: fmt.Sprintf("%s to gorun (%s)", sigName(sig), mode), Trial: k.trial})
		}
	}
	return rows
}

func sigName(s syscall.Signal) string {
	return map[syscall.Signal]string{syscall.SIGKILL: "SIGKILL", syscall.SIGTERM: "SIGTERM", syscall.SIGINT: "SIGINT", syscall.SIGSTOP: "SIGSTOP"}[s]
}

type launcherSignal struct {
	mode string
	sig  syscall.Signal
}

func (k launcherSignal) trial(ctx context.Context, e *Env, dir string) Outcome {
	n := 2 + e.Rand.IntN(3)
	cmd := marked(e.Gorun, gorunArgs(e, k.mode, n, hangAfter, "idle", "--dir", dir), dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return Outcome{Fail: err.Error()}
	}
	defer cmd.Wait()
	if _, err := rankPids(dir, n, time.Now().Add(hangAfter)); err != nil {
		cmd.Process.Kill()
		return Outcome{Fail: err.Error() + ": " + firstLines(stderr.String(), 2)}
	}
	// Every rank runs and has started its children by now.
	// gorun, each rank process and each rank's two children (one in a
	// session of its own).
	want := 1 + 3*n
	if k.mode == "goroutines" {
		want = 2 + 2*n
	}
	if found := len(markedProcs(dir)); found < want {
		cmd.Process.Kill()
		return Outcome{Fail: fmt.Sprintf("%d processes of the job found, want at least %d", found, want)}
	}
	time.Sleep(time.Duration(e.Rand.Int64N(int64(100 * time.Millisecond))))
	sent := time.Now()
	cmd.Process.Signal(k.sig)
	cmd.Wait()
	o := Outcome{Fail: leftovers(dir, 2*time.Second)}
	o.Teardown = time.Since(sent)
	if o.Fail == "" {
		if code, want := exitCode(cmd), 128+int(k.sig); code != want {
			o.Fail = fmt.Sprintf("gorun exited %d, want %d: %s", code, want, firstLines(stderr.String(), 2))
		}
	}
	return o
}
