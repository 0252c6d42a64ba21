package clustertest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/internal/buildtest"
)

func TestMain(m *testing.M) { os.Exit(buildtest.Main(m)) }

// cluster is the running test cluster, as scripts/cluster.sh describes it.
type cluster struct {
	dir    string
	script string
	env    []string // GORUN_CLUSTER_* settings, for the script
	hosts  []string // addresses, host 1 first
	bin    string   // built programs
}

// needCluster returns the cluster or skips the test, loudly.
func needCluster(t *testing.T) *cluster {
	t.Helper()
	dir := os.Getenv("GORUN_CLUSTER")
	if dir == "" {
		t.Skip("SKIP: multi-host tests need a namespace cluster: run `make cluster-test` as root")
	}
	if os.Getuid() != 0 {
		t.Skip("SKIP: multi-host tests need root")
	}
	c := &cluster{dir: dir}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	c.script = filepath.Join(root, "scripts", "cluster.sh")
	envFile, err := os.ReadFile(filepath.Join(dir, "env"))
	if err != nil {
		t.Fatalf("GORUN_CLUSTER=%s: %v", dir, err)
	}
	c.env = strings.Fields(string(envFile))
	hf, err := os.ReadFile(filepath.Join(dir, "hostfile"))
	if err != nil {
		t.Fatal(err)
	}
	c.hosts = strings.Fields(string(hf))
	if len(c.hosts) < 3 {
		t.Fatalf("%s/hostfile: want 3 hosts, have %v", dir, c.hosts)
	}
	c.bin = buildtest.Programs(t, "gorun", "pi", "wordcount", "tracts", "commbench")
	t.Cleanup(func() { c.assertClean(t) })
	return c
}

// hostList is a -H value with the given number of slots on hosts 1, 2, ...
func (c *cluster) hostList(slots ...int) string {
	var parts []string
	for i, n := range slots {
		parts = append(parts, fmt.Sprintf("%s:%d", c.hosts[i], n))
	}
	return strings.Join(parts, ",")
}

// via are the two ways of starting agents, as gorun flags.
func (c *cluster) via() map[string][]string {
	return map[string][]string{
		"ssh":      {"--ssh", "ssh -F " + filepath.Join(c.dir, "ssh_config")},
		"template": {"--launch-agent", c.script + " exec {host}"},
	}
}

// result is one finished gorun.
type result struct {
	code   int
	stdout string
	stderr string
	took   time.Duration
}

// gorun runs the built gorun with args and waits at most limit.
func (c *cluster) gorun(t *testing.T, limit time.Duration, args ...string) result {
	t.Helper()
	r, err := c.try(limit, args...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// try runs the built gorun with args; an error says it could not start
// or was still running after limit (it is then killed).
func (c *cluster) try(limit time.Duration, args ...string) (result, error) {
	cmd, out, errb := c.command(args...)
	return c.await(cmd, out, errb, limit)
}

// tryOn is try with gorun on host h (1-based) instead of outside the
// cluster.
func (c *cluster) tryOn(h int, limit time.Duration, args ...string) (result, error) {
	cmd, out, errb := c.command(args...)
	cmd.Args = append([]string{c.script, "exec", fmt.Sprint(h)}, cmd.Args...)
	cmd.Args[3] = cmd.Path
	cmd.Path = c.script
	return c.await(cmd, out, errb, limit)
}

// await starts cmd and waits for it at most limit.
func (c *cluster) await(cmd *exec.Cmd, out, errb *syncBuffer, limit time.Duration) (result, error) {
	args := cmd.Args
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(limit):
		cmd.Process.Kill()
		<-done
		return result{}, fmt.Errorf("gorun %v still running after %v\nstdout:\n%s\nstderr:\n%s", args, limit, out, errb)
	}
	r := result{stdout: out.String(), stderr: errb.String(), took: time.Since(t0)}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
	} else if err != nil {
		return r, err
	}
	return r, nil
}

// trials is how often the repeated cases run: GORUN_CLUSTER_TRIALS
// (make cluster-test-long sets 20), else once.
func trials(t *testing.T) int {
	t.Helper()
	s := os.Getenv("GORUN_CLUSTER_TRIALS")
	if s == "" {
		return 1
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		t.Fatalf("GORUN_CLUSTER_TRIALS=%q: want a positive number", s)
	}
	return n
}

func (c *cluster) command(args ...string) (*exec.Cmd, *syncBuffer, *syncBuffer) {
	cmd := exec.Command(filepath.Join(c.bin, "gorun"), args...)
	cmd.Env = append(os.Environ(), c.env...)
	var out, errb syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	return cmd, &out, &errb
}

// syncBuffer is a bytes.Buffer that a test may read while gorun writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// assertClean fails the test if any process but sshd's listener is left
// on a host once a few seconds have passed.
func (c *cluster) assertClean(t *testing.T) {
	deadline := time.Now().Add(3 * time.Second)
	for {
		left := c.leftovers()
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("processes left on the hosts: %s", strings.Join(left, "; "))
			for i := range c.hosts {
				crash := exec.Command(c.script, "crash", fmt.Sprint(i+1))
				crash.Env = append(os.Environ(), c.env...)
				crash.Run()
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (c *cluster) leftovers() []string {
	var left []string
	for i := range c.hosts {
		cmd := exec.Command(c.script, "pids", fmt.Sprint(i+1))
		cmd.Env = append(os.Environ(), c.env...)
		out, _ := cmd.Output()
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			pid := strings.TrimSpace(sc.Text())
			cl, err := os.ReadFile("/proc/" + pid + "/cmdline")
			if err != nil {
				continue // gone meanwhile
			}
			line := strings.ReplaceAll(string(cl), "\x00", " ")
			if strings.Contains(line, "[listener]") {
				continue
			}
			left = append(left, fmt.Sprintf("host %d pid %s: %s", i+1, pid, line))
		}
	}
	return left
}

// firstLine is the first line of s that starts with prefix.
func firstLine(s, prefix string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}
