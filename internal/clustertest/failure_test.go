package clustertest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	failOnce sync.Once
	failPath string
	failErr  error
)

// failprog builds testdata/failprog next to the other programs.
func (c *cluster) failprog(t *testing.T) string {
	failOnce.Do(func() {
		failPath = filepath.Join(c.bin, "failprog")
		out, err := exec.Command("go", "build", "-o", failPath, "./testdata/failprog").CombinedOutput()
		if err != nil {
			failErr = fmt.Errorf("go build failprog: %v\n%s", err, out)
		}
	})
	if failErr != nil {
		t.Fatal(failErr)
	}
	return failPath
}

// failedAt is the time the failing rank printed before it failed.
func failedAt(stdout string) (time.Time, error) {
	i := strings.Index(stdout, "failing at ")
	if i < 0 {
		return time.Time{}, fmt.Errorf("no rank failed:\n%s", stdout)
	}
	f := strings.Fields(stdout[i+len("failing at "):])
	ns, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(0, ns), nil
}

// endLimit is how long after the failure the job may take to end: 1 s as
// on one host, with a margin for a loaded machine.
const endLimit = 1500 * time.Millisecond

// TestRemoteRankFails: a rank on the third host exits 3, panics, or is
// SIGKILLed while the others wait in a barrier: the job ends with its
// code (3, 2, 137) within a second, naming the rank; GORUN_CLUSTER_TRIALS
// times each, none may fail or hang.
func TestRemoteRankFails(t *testing.T) {
	c := needCluster(t)
	prog := c.failprog(t)
	n := trials(t)
	for _, tc := range []struct {
		mode string
		code int
		says string
	}{
		{"exit3", 3, "rank 4 exited with code 3"},
		{"panic", 2, "rank 4 exited with code 2"},
		{"kill", 137, "rank 4 killed by signal 9"},
	} {
		for name, via := range c.via() {
			t.Run(tc.mode+"/"+name, func(t *testing.T) {
				args := append(append([]string{"-H", c.hostList(1, 2, 2)}, via...), prog, tc.mode, "4")
				var failed []string
				var slowest time.Duration
				for i := range n {
					r, err := c.try(20*time.Second, args...)
					if err != nil {
						failed = append(failed, fmt.Sprintf("trial %d: %v", i+1, err))
						continue
					}
					end := time.Now()
					if r.code != tc.code || !strings.Contains(r.stderr, tc.says) {
						failed = append(failed, fmt.Sprintf("trial %d: exit %d, want %d with %q\n%s%s", i+1, r.code, tc.code, tc.says, r.stdout, r.stderr))
						continue
					}
					at, err := failedAt(r.stdout)
					if err != nil {
						failed = append(failed, fmt.Sprintf("trial %d: %v", i+1, err))
						continue
					}
					took := end.Sub(at)
					slowest = max(slowest, took)
					if took > endLimit {
						failed = append(failed, fmt.Sprintf("trial %d: the job ended %v after the rank failed; want at most %v", i+1, took, endLimit))
					}
				}
				t.Logf("%d trials, %d failed; slowest end %v after the failure", n, len(failed), slowest)
				if len(failed) > 0 {
					t.Errorf("%d of %d trials failed; first: %s", len(failed), n, failed[0])
				}
			})
		}
	}
}

// startHanging starts a job of 5 ranks on 3 hosts that all wait in a
// barrier after printing "ready", and returns once all have.
func (c *cluster) startHanging(t *testing.T, via []string, extra ...string) (*exec.Cmd, func() result) {
	t.Helper()
	args := append(append(append([]string{"-H", c.hostList(1, 2, 2)}, via...), extra...), c.failprog(t), "hang", "-1")
	cmd, out, errb := c.command(args...)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		buf := make([]byte, 4096)
		for {
			n, err := pr.Read(buf)
			out.Write(buf[:n])
			if n > 0 {
				lines <- string(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	deadline := time.After(time.Minute)
	for strings.Count(out.String(), "ready") < 5 {
		select {
		case _, ok := <-lines:
			if !ok {
				cmd.Wait()
				t.Fatalf("gorun ended before every rank was ready:\n%s%s", out, errb)
			}
		case <-deadline:
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("ranks not ready after a minute:\n%s%s", out, errb)
		}
	}
	wait := func() result {
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var err error
		select {
		case err = <-done:
		case <-time.After(time.Minute):
			cmd.Process.Kill()
			<-done
			t.Fatalf("gorun still running a minute on:\n%s%s", out, errb)
		}
		for range lines {
		}
		r := result{stdout: out.String(), stderr: errb.String()}
		if ee, ok := err.(*exec.ExitError); ok {
			r.code = ee.ExitCode()
		}
		return r
	}
	return cmd, wait
}

// onHost runs a command on host h (1-based) and returns its output.
func (c *cluster) onHost(h int, args ...string) (string, error) {
	cmd := exec.Command(c.script, append([]string{"exec", fmt.Sprint(h)}, args...)...)
	cmd.Env = append(os.Environ(), c.env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (c *cluster) script1(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command(c.script, args...)
	cmd.Env = append(os.Environ(), c.env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cluster.sh %v: %v\n%s", args, err, out)
	}
}

// TestHostLost: every process on host 2 SIGKILLed (a crash), or host 2
// cut off from the others for longer than --host-timeout: the job ends
// within the host timeout and a second, with the host-lost status, naming
// the host and its ranks; once the partition heals, nothing of the job
// is left on host 2.
func TestHostLost(t *testing.T) {
	c := needCluster(t)
	const timeout = 2 * time.Second
	for _, how := range []string{"crash", "cut"} {
		for name, via := range c.via() {
			t.Run(how+"/"+name, func(t *testing.T) {
				_, wait := c.startHanging(t, via, "--host-timeout", timeout.String())
				t0 := time.Now()
				c.script1(t, how, "2")
				if how == "cut" {
					defer c.script1(t, "heal", "2")
				}
				r := wait()
				took := time.Since(t0)
				want := "host " + c.hosts[1] + " lost"
				if r.code != 122 || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "its ranks 1,2") {
					t.Fatalf("exit %d, want 122 with %q and its ranks 1,2\n%s%s", r.code, want, r.stdout, r.stderr)
				}
				if took > timeout+time.Second+500*time.Millisecond {
					t.Errorf("the job ended %v after host 2 was lost; want at most %v", took, timeout+time.Second)
				}
			})
		}
	}
}

// TestLauncherKilled: gorun SIGKILLed: every agent and rank on every host
// is gone within 2 s (the cleanup asserts it).
func TestLauncherKilled(t *testing.T) {
	c := needCluster(t)
	for name, via := range c.via() {
		t.Run(name, func(t *testing.T) {
			cmd, wait := c.startHanging(t, via)
			cmd.Process.Signal(syscall.SIGKILL)
			wait()
			deadline := time.Now().Add(2 * time.Second)
			for {
				left := c.leftovers()
				if len(left) == 0 {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("2 s after gorun was killed: %s", strings.Join(left, "; "))
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

// TestShortPartition: host 2 cut off for half a second, far less than
// the host timeout and the routes' failure detection, while the ranks
// run checked Allreduces: the job stalls, recovers and exits 0.
func TestShortPartition(t *testing.T) {
	c := needCluster(t)
	args := []string{"-H", c.hostList(1, 2, 2), "--launch-agent", c.script + " exec {host}", c.failprog(t), "loop", "4"}
	cmd, out, errb := c.command(args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.Now().Add(time.Minute)
	for strings.Count(out.String(), "ready") < 5 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	c.script1(t, "cut", "2")
	time.Sleep(500 * time.Millisecond) // the length of the partition, not a wait for an event
	c.script1(t, "heal", "2")
	select {
	case err := <-done:
		if err != nil || !strings.Contains(out.String(), "[rank 0] loop: ") {
			t.Fatalf("%v\n%s%s", err, out, errb)
		}
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatalf("still running a minute on\n%s%s", out, errb)
	}
}

// TestRouteBetweenHostsCut: hosts 2 and 3 stop reaching each other while
// both still reach the launcher (heartbeats flow): the closed route
// between them ends the job with the host-lost status once the route's
// pings fail (three missed 1 s pings), not after --timeout.
func TestRouteBetweenHostsCut(t *testing.T) {
	c := needCluster(t)
	_, wait := c.startHanging(t, c.via()["template"], "--host-timeout", "30s")
	t0 := time.Now()
	if out, err := c.onHost(2, "ip", "route", "add", "blackhole", c.hosts[2]+"/32"); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	defer c.onHost(2, "ip", "route", "del", "blackhole", c.hosts[2]+"/32")
	r := wait()
	if took := time.Since(t0); r.code != 122 || !strings.Contains(r.stderr, "route to host") || took > 10*time.Second {
		t.Fatalf("exit %d after %v, want 122 naming a closed route within 10 s\n%s", r.code, took, r.stderr)
	}
}
