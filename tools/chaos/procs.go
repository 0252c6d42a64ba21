//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// markEnv is the variable whose value marks every process of a trial: the
// launcher's ranks and their children inherit it, so a scan of /proc
// finds every descendant, even one reparented to init.
const markEnv = "CHAOS_TRIAL"

// marked starts name with args, marked with dir in its environment.
func marked(name string, args []string, dir string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), markEnv+"="+dir)
	return cmd
}

// markedProcs is every live process whose environment carries dir's mark.
func markedProcs(dir string) []int {
	mark := []byte("\x00" + markEnv + "=" + dir + "\x00")
	ents, _ := os.ReadDir("/proc")
	var pids []int
	for _, ent := range ents {
		pid, err := strconv.Atoi(ent.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", ent.Name(), "environ"))
		if err != nil || !bytes.Contains(append([]byte{0}, env...), mark) || !alive(pid) {
			continue
		}
		pids = append(pids, pid)
	}
	return pids
}

// leftovers waits up to grace for every process of dir's trial to end; it
// kills those still there and describes them.
func leftovers(dir string, grace time.Duration) string {
	deadline := time.Now().Add(grace)
	for {
		left := markedProcs(dir)
		if len(left) == 0 {
			return ""
		}
		if time.Now().After(deadline) {
			var what []string
			for _, p := range left {
				cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", p))
				what = append(what, fmt.Sprintf("%d %s", p, bytes.ReplaceAll(bytes.TrimRight(cmdline, "\x00"), []byte{0}, []byte{' '})))
				syscall.Kill(p, syscall.SIGKILL)
			}
			return fmt.Sprintf("%d processes left %v after: %q", len(left), grace, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// exitCode is cmd's exit status after Wait, 128+N for a signal N.
func exitCode(cmd *exec.Cmd) int {
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return cmd.ProcessState.ExitCode()
}

// rankPids waits until n rank files (rank.R, written by rankprog once
// the rank runs) are in dir, returning their pids by rank.
func rankPids(dir string, n int, deadline time.Time) ([]int, error) {
	pids := make([]int, n)
	for r := 0; r < n; {
		b, err := os.ReadFile(filepath.Join(dir, "rank."+strconv.Itoa(r)))
		if err == nil {
			pids[r], err = strconv.Atoi(string(b))
			if err != nil {
				return nil, fmt.Errorf("rank.%d: %v", r, err)
			}
			r++
			continue
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("rank %d had not started by the deadline", r)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return pids, nil
}

// gorunArgs are gorun's arguments for n ranks of rankprog in mode.
func gorunArgs(e *Env, mode string, n int, hang time.Duration, prog ...string) []string {
	args := []string{"-n", strconv.Itoa(n), "--mode", mode, "--oversubscribe", "--timeout", hang.String()}
	return append(append(args, e.RankProg), prog...)
}
