//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// burstRows are the trials of a rank stopped by SIGSTOP for 1-2 s while
// every other rank sends to rank 0 (or while rank 0 receives), then
// continued: every message arrives, once and in order.
func burstRows() []Row {
	return []Row{{Name: "SIGSTOP a rank 1-2 s in a many-to-one burst", Trial: stopTrial}}
}

// burstCount is the messages each sender sends: enough that the burst
// outlasts the moment of the stop on a loaded machine.
const burstCount = 20000

func stopTrial(ctx context.Context, e *Env, dir string) Outcome {
	n := 3 + e.Rand.IntN(3)
	cmd := marked(e.Gorun, gorunArgs(e, "processes", n, hangAfter, "burst", "--count", fmt.Sprint(burstCount), "--dir", dir), dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		return Outcome{Fail: err.Error()}
	}
	pids, err := rankPids(dir, n, time.Now().Add(hangAfter))
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return Outcome{Fail: err.Error() + ": " + firstLines(stderr.String(), 2)}
	}
	counts := map[string]int{}
	// The burst is on once rank 0 has its first message.
	for deadline := time.Now().Add(hangAfter); ; time.Sleep(time.Millisecond) {
		if _, err := os.Stat(filepath.Join(dir, "receiving")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			return Outcome{Fail: "rank 0 received nothing: " + firstLines(stderr.String(), 2)}
		}
	}
	time.Sleep(time.Duration(e.Rand.Int64N(int64(20 * time.Millisecond))))
	victim := e.Rand.IntN(n)
	syscall.Kill(pids[victim], syscall.SIGSTOP)
	stoppedWhen := "after the burst"
	if _, err := os.Stat(filepath.Join(dir, "done")); err != nil {
		stoppedWhen = map[bool]string{true: "receiving", false: "sending"}[victim == 0]
	}
	counts[map[string]string{"after the burst": "burst over before the stop", "receiving": "receiver stopped", "sending": "sender stopped"}[stoppedWhen]]++
	time.Sleep(time.Second + time.Duration(e.Rand.Int64N(int64(time.Second))))
	syscall.Kill(pids[victim], syscall.SIGCONT)
	cmd.Wait()
	var fails []string
	if f := leftovers(dir, 2*time.Second); f != "" {
		fails = append(fails, f)
	}
	want := fmt.Sprintf("burst: received %d of %d, reordered 0, extra 0", (n-1)*burstCount, (n-1)*burstCount)
	switch code := exitCode(cmd); {
	case code == 124:
		fails = append(fails, fmt.Sprintf("hang: gorun -n %d ended by --timeout %v, rank %d stopped %s; rank 0 printed %q; %s",
			n, hangAfter, victim, stoppedWhen, strings.TrimSpace(stdout.String()), tail(stderr.String(), 6)))
	case code != 0:
		fails = append(fails, fmt.Sprintf("gorun exited %d: %s", code, firstLines(stderr.String(), 2)))
	case !strings.Contains(stdout.String(), want):
		fails = append(fails, fmt.Sprintf("rank 0 printed %q, want %q", strings.TrimSpace(stdout.String()), want))
	}
	return Outcome{Fail: strings.Join(fails, "; "), Counts: counts}
}

// tail is s's last n lines, joined by " | ".
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], " | ")
}
