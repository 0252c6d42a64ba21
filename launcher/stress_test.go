//go:build linux

package launcher_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/launcher"
)

// lineChecker is a destination that checks every line as it streams past,
// keeping nothing but counts.
type lineChecker struct {
	mu      sync.Mutex
	lines   map[string]int // per pattern name
	bad     []string
	partial int // writes that did not end in a newline
	other   []string
}

var (
	chatLine  = "[rank 0] " + strings.Repeat("x", 99)
	quietLine = regexp.MustCompile(`^\[rank 1\] quiet (\d+)$`)
	quietDone = regexp.MustCompile(`^\[rank 1\] quiet done in (\d+)ms$`)
)

func (c *lineChecker) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(p)
	if !bytes.HasSuffix(p, []byte("\n")) {
		c.partial++
	}
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			i = len(p)
		}
		line := p[:i]
		p = p[min(i+1, len(p)):]
		if string(line) == chatLine { // no allocation: the hot path
			c.lines["chat"]++
			continue
		}
		switch s := string(line); {
		case quietLine.MatchString(s):
			if n, _ := strconv.Atoi(quietLine.FindStringSubmatch(s)[1]); n != c.lines["quiet"] {
				c.bad = append(c.bad, "out of order: "+s)
			}
			c.lines["quiet"]++
		case quietDone.MatchString(s):
			c.other = append(c.other, s)
		default:
			if len(c.bad) < 5 {
				c.bad = append(c.bad, s[:min(len(s), 80)])
			}
		}
	}
	return n, nil
}

// A rank that prints a lot neither mixes into another rank's lines, nor
// makes the launcher buffer its output, nor holds up the other rank.
func TestChatterStreams(t *testing.T) {
	mb := 32
	if testing.Short() {
		mb = 8
	}
	cfg, _, errb := helperConfig(2, "chatter", "0", strconv.Itoa(mb))
	check := &lineChecker{lines: map[string]int{}}
	cfg.Stdout = check
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	if err := launcher.Run(context.Background(), cfg); err != nil {
		t.Fatalf("Run: %v; stderr:\n%s", err, errb)
	}
	wall := time.Since(t0)
	runtime.ReadMemStats(&after)
	if want := mb << 20 / 100; check.lines["chat"] != want || check.lines["quiet"] != 1000 {
		t.Errorf("got %d chatter and %d quiet lines, want %d and 1000", check.lines["chat"], check.lines["quiet"], want)
	}
	if len(check.bad) > 0 || check.partial > 0 {
		t.Errorf("%d writes without a whole line; bad lines: %q", check.partial, check.bad)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	if alloc > uint64(mb<<20)/4 {
		t.Errorf("launcher allocated %d MB to forward %d MB: it buffers instead of streaming", alloc>>20, mb)
	}
	if len(check.other) != 1 {
		t.Fatalf("no 'quiet done' line: %q", check.other)
	}
	ms, _ := strconv.Atoi(quietDone.FindStringSubmatch(check.other[0])[1])
	if ms > 5000 { // a loaded machine's share of time, far less than a wait behind the chatter
		t.Errorf("the quiet rank took %dms to print 1000 lines next to the chatter", ms)
	}
	t.Logf("%d MB in %v (%.0f MB/s), launcher allocated %d KB, quiet rank printed in %dms",
		mb, wall, float64(mb)/wall.Seconds(), alloc>>10, ms)
}

// Ranks die with the launcher even when it is SIGKILLed (Pdeathsig), and
// so do their children: here the sleeps that two shell ranks started, one
// of them in a session of its own, which only the job's cgroup or, without
// one, the ranks' supervisors reach.
func TestRanksDieWithLauncher(t *testing.T) {
	t.Run("ranks", func(t *testing.T) { ranksDieWithLauncher(t, "launch", 2) })
	t.Run("their children", func(t *testing.T) { ranksDieWithLauncher(t, "launchsh", 4) })
	t.Run("their setsid children", func(t *testing.T) { ranksDieWithLauncher(t, "launchsetsid", 4) })
	t.Run("ranks without a cgroup", func(t *testing.T) {
		ranksDieWithLauncher(t, "launch", 2, launcher.EnvNoCgroup+"=1")
	})
	t.Run("their setsid children without a cgroup", func(t *testing.T) {
		ranksDieWithLauncher(t, "launchsetsid", 4, launcher.EnvNoCgroup+"=1")
	})
}

// ranksDieWithLauncher runs the helper behaviour that acts as gorun (with
// env added to its environment), reads n "[rank R] pid P" lines, SIGKILLs
// it and waits for every P to die.
func ranksDieWithLauncher(t *testing.T, behaviour string, n int, env ...string) {
	cmd := exec.Command(os.Args[0], behaviour, "2")
	cmd.Env = append(append(os.Environ(), helperEnv+"=1", "GORACE=atexit_sleep_ms=0"), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	var pids []int
	sc := bufio.NewScanner(stdout)
	for len(pids) < n && sc.Scan() {
		var rank, pid int
		if _, err := fmt.Sscanf(sc.Text(), "[rank %d] pid %d", &rank, &pid); err == nil {
			pids = append(pids, pid)
		}
	}
	if len(pids) < n {
		t.Fatalf("ranks reported %d pids, want %d", len(pids), n)
	}
	cmd.Process.Kill()
	for _, pid := range pids {
		waitFor(t, 10*time.Second, fmt.Sprintf("pid %d to die with its launcher", pid), func() bool {
			return !alive(pid)
		})
	}
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := bytes.LastIndexByte(stat, ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] != 'Z'
}

// waitFor polls cond until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestRankChildrenEndWithJob: a child a rank started in a session of its
// own and did not wait for dies when the job ends, whether every rank
// succeeded or one failed (the other rank may be ended before it starts
// its child), in the job's cgroup or, without one, under supervisors.
func TestRankChildrenEndWithJob(t *testing.T) {
	for _, tc := range []struct {
		name string
		exit string // the shell's last command
		code int
		want int // children reported at least
	}{
		{"job succeeds", "exit 0", 0, 2},
		{"a rank fails", `[ "$GORUN_RANK" = 1 ] && exit 3; exit 0`, 3, 1},
	} {
		t.Run(tc.name, func(t *testing.T) { rankChildrenEndWithJob(t, tc.exit, tc.code, tc.want) })
		t.Run(tc.name+" without a cgroup", func(t *testing.T) {
			t.Setenv(launcher.EnvNoCgroup, "1")
			rankChildrenEndWithJob(t, tc.exit, tc.code, tc.want)
		})
	}
}

// rankChildrenEndWithJob runs two shell ranks that each start a sleep in
// a session of its own, end with exit, and waits for every sleep to die.
func rankChildrenEndWithJob(t *testing.T, exit string, code, want int) {
	cfg, out, _ := helperConfig(2)
	cfg.Program = "sh"
	cfg.Args = []string{"-c", `setsid sleep 30 >/dev/null 2>&1 & echo "pid $!"; ` + exit}
	err := launcher.Run(context.Background(), cfg)
	if c := launcher.ExitCode(err); c != code {
		t.Fatalf("exit status %d (%v), want %d", c, err, code)
	}
	var pids []int
	for _, line := range strings.Split(out.String(), "\n") {
		var rank, pid int
		if _, err := fmt.Sscanf(line, "[rank %d] pid %d", &rank, &pid); err == nil {
			pids = append(pids, pid)
		}
	}
	if len(pids) < want {
		t.Fatalf("ranks reported pids %v in %q, want %d", pids, out.String(), want)
	}
	for _, pid := range pids {
		waitFor(t, 10*time.Second, fmt.Sprintf("rank's child %d to end with the job", pid), func() bool {
			return !alive(pid)
		})
	}
}
