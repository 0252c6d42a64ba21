package slurmtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/internal/buildtest"
)

func TestMain(m *testing.M) { os.Exit(buildtest.Main(m)) }

// cluster is the SLURM cluster scripts/slurm-cluster.sh started.
type cluster struct {
	env  []string // SLURM_CONF and a PATH with the built programs first
	bin  string
	root string // the repository
}

func needCluster(t *testing.T) *cluster {
	t.Helper()
	dir := os.Getenv("GORUN_SLURM_CLUSTER")
	if dir == "" {
		t.Skip("SKIP: SLURM tests need a SLURM cluster: run `make slurm-test` as root")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{root: root, bin: buildtest.Programs(t, "gorun", "wordcount")}
	c.env = append(os.Environ(), "SLURM_CONF="+filepath.Join(dir, "slurm.conf"),
		"PATH="+c.bin+":"+os.Getenv("PATH"))
	t.Cleanup(func() { c.assertIdle(t) })
	return c
}

type result struct {
	code           int
	stdout, stderr string
	took           time.Duration
}

// run runs a command with the cluster's environment in dir, at most limit.
func (c *cluster) run(t *testing.T, dir string, limit time.Duration, name string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env, cmd.Dir = c.env, dir
	// salloc's children may hold its output open after it is killed:
	// Run then returns anyway, and the cleanup cancels what is left.
	cmd.WaitDelay = 5 * time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	t0 := time.Now()
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String(), took: time.Since(t0)}
	if ctx.Err() != nil {
		c.cancelAll()
		t.Fatalf("%s %v still running after %v\nstdout:\n%s\nstderr:\n%s", name, args, limit, r.stdout, r.stderr)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

// assertIdle fails the test unless, within a few seconds, the queue is
// empty and no process but slurmd is left on any node.
func (c *cluster) assertIdle(t *testing.T) {
	var left []string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		left = c.leftovers()
		if len(left) == 0 {
			return
		}
	}
	t.Errorf("left after the test: %s", strings.Join(left, "; "))
	c.cancelAll()
}

// cancelAll kills every job of the cluster, so one failed test does not
// hold the nodes from the next.
func (c *cluster) cancelAll() {
	cmd := exec.Command("scancel", "--full", "--signal=KILL", "-u", "root")
	cmd.Env = c.env
	cmd.Run()
}

func (c *cluster) leftovers() []string {
	var left []string
	cmd := exec.Command("squeue", "-h", "-o", "%i %T %j")
	cmd.Env = c.env
	if out, err := cmd.Output(); err != nil || strings.TrimSpace(string(out)) != "" {
		left = append(left, fmt.Sprintf("squeue: %q %v", strings.TrimSpace(string(out)), err))
	}
	for _, ns := range []string{"gs1", "gs2"} {
		out, _ := exec.Command("ip", "netns", "pids", ns).Output()
		for _, pid := range strings.Fields(string(out)) {
			cl, err := os.ReadFile("/proc/" + pid + "/cmdline")
			if err != nil || len(cl) == 0 {
				continue // gone meanwhile, or a zombie
			}
			line := strings.ReplaceAll(string(cl), "\x00", " ")
			if strings.HasPrefix(filepath.Base(strings.Fields(line)[0]), "slurmd") {
				continue
			}
			left = append(left, fmt.Sprintf("%s pid %s: %s", ns, pid, line))
		}
	}
	return left
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// reference is the serial word count of the bundled text.
func (c *cluster) reference(t *testing.T) string {
	out := filepath.Join(t.TempDir(), "ref.tsv")
	r := c.run(t, c.root, time.Minute, filepath.Join(c.bin, "wordcount"), "--out", out, "testdata/text")
	if r.code != 0 {
		t.Fatalf("serial wordcount: exit %d: %s", r.code, r.stderr)
	}
	return readFile(t, out)
}

func TestAllocation(t *testing.T) {
	c := needCluster(t)
	want := c.reference(t)
	out := filepath.Join(t.TempDir(), "counts.tsv")
	r := c.run(t, c.root, 2*time.Minute, "salloc", "-N", "2", "-n", "4", "gorun", "wordcount", "--out", out, "testdata/text")
	if r.code != 0 {
		t.Fatalf("salloc gorun wordcount: exit %d\n%s", r.code, r.stderr)
	}
	if got := readFile(t, out); got != want {
		t.Fatalf("word count across the allocation differs from the serial one (%d vs %d bytes)", len(got), len(want))
	}

	// Where the ranks ran: two on each node, each node in its own namespace.
	r = c.run(t, c.root, time.Minute, "salloc", "-N", "2", "-n", "4", "gorun", "--no-tag", "sh", "-c",
		`echo $GORUN_RANK $GORUN_NODE $GORUN_LOCAL_RANK $(readlink /proc/self/ns/net)`)
	if r.code != 0 {
		t.Fatalf("salloc gorun sh: exit %d\n%s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	sort.Strings(lines)
	if len(lines) != 4 {
		t.Fatalf("want 4 ranks' lines, got %q", r.stdout)
	}
	netns := map[string]string{}
	for i, l := range lines {
		f := strings.Fields(l)
		wantNode, wantLocal := fmt.Sprint(i/2), fmt.Sprint(i%2)
		if len(f) != 4 || f[0] != fmt.Sprint(i) || f[1] != wantNode || f[2] != wantLocal {
			t.Fatalf("rank %d: got %q, want node %s local rank %s", i, l, wantNode, wantLocal)
		}
		if prev, ok := netns[f[1]]; ok && prev != f[3] {
			t.Fatalf("node %s's ranks ran in two namespaces: %s and %s", f[1], prev, f[3])
		}
		netns[f[1]] = f[3]
	}
	if netns["0"] == netns["1"] {
		t.Fatalf("both nodes' ranks ran in namespace %s", netns["0"])
	}
}

func TestHostsMustBeInAllocation(t *testing.T) {
	c := needCluster(t)
	r := c.run(t, c.root, time.Minute, "salloc", "-N", "1", "-w", "h1", "-n", "2", "gorun", "-H", "h2:2", "true")
	if r.code != 2 || !strings.Contains(r.stderr, "host h2 is not in SLURM job") {
		t.Fatalf("-H outside the allocation: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestBatchScript(t *testing.T) {
	c := needCluster(t)
	want := c.reference(t)
	// The documented script, run from a copy of the repository's layout;
	// the command line fits it to the testbed's 2 CPUs per node.
	dir := t.TempDir()
	for _, l := range []string{"bin", "testdata"} {
		src := c.bin
		if l == "testdata" {
			src = filepath.Join(c.root, "testdata")
		}
		if err := os.Symlink(src, filepath.Join(dir, l)); err != nil {
			t.Fatal(err)
		}
	}
	r := c.run(t, dir, 3*time.Minute, "sbatch", "--wait", "--ntasks-per-node=2", "--output=job.out",
		filepath.Join(c.root, "docs", "wordcount.sbatch"))
	if r.code != 0 {
		t.Fatalf("sbatch: exit %d\n%s\njob output:\n%s", r.code, r.stderr, readFile(t, filepath.Join(dir, "job.out")))
	}
	if got := readFile(t, filepath.Join(dir, "counts.tsv")); got != want {
		t.Fatalf("word count of the batch job differs from the serial one (%d vs %d bytes)", len(got), len(want))
	}
}

func TestRankFailsOnSecondNode(t *testing.T) {
	c := needCluster(t)
	r := c.run(t, c.root, time.Minute, "salloc", "-N", "2", "-n", "4", "gorun", "sh", "-c",
		`if [ "$GORUN_RANK" = 3 ]; then exit 3; fi; exec sleep 60`)
	if r.code != 3 {
		t.Fatalf("exit %d, want 3\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "rank 3") {
		t.Fatalf("the failure line does not name rank 3:\n%s", r.stderr)
	}
	t.Logf("job of 4 ranks on 2 nodes, rank 3 exits 3: gorun returned after %v (salloc included)", r.took)
	if r.took > 20*time.Second {
		t.Fatalf("took %v", r.took)
	}
}

// batchRunning submits a batch job whose ranks each create a file in dir
// and then sleep, and waits until all have.
func (c *cluster) batchRunning(t *testing.T, dir string, args ...string) string {
	t.Helper()
	args = append(args, "--parsable", "-N", "2", "-n", "4", "--output=job.out", "--wrap",
		`gorun sh -c 'touch started.$GORUN_RANK; exec sleep 120'`)
	r := c.run(t, dir, time.Minute, "sbatch", args...)
	if r.code != 0 {
		t.Fatalf("sbatch: exit %d: %s", r.code, r.stderr)
	}
	id := strings.TrimSpace(r.stdout)
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		m, _ := filepath.Glob(filepath.Join(dir, "started.*"))
		if len(m) == 4 {
			return id
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s: %d of 4 ranks started in a minute", id, len(m))
		}
	}
}

func TestScancel(t *testing.T) {
	c := needCluster(t)
	dir := t.TempDir()
	id := c.batchRunning(t, dir)
	t0 := time.Now()
	if r := c.run(t, dir, time.Minute, "scancel", id); r.code != 0 {
		t.Fatalf("scancel: %s", r.stderr)
	}
	c.awaitGone(t, id)
	t.Logf("scancel: job %s gone from the queue after %v", id, time.Since(t0))
	if out := readFile(t, filepath.Join(dir, "job.out")); !strings.Contains(out, "CANCELLED") {
		t.Fatalf("job output does not say it was cancelled:\n%s", out)
	}
}

func TestTimeLimit(t *testing.T) {
	c := needCluster(t)
	dir := t.TempDir()
	id := c.batchRunning(t, dir, "--time=0:05")
	c.awaitGone(t, id)
	if out := readFile(t, filepath.Join(dir, "job.out")); !strings.Contains(out, "TIME LIMIT") {
		t.Fatalf("job output does not say the time limit ended it:\n%s", out)
	}
}

// awaitGone waits until job id has left the queue; the test's cleanup
// then checks that no process of it is left on any node.
func (c *cluster) awaitGone(t *testing.T, id string) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		cmd := exec.Command("squeue", "-h", "-j", id)
		cmd.Env = c.env
		out, _ := cmd.Output()
		if strings.TrimSpace(string(out)) == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s still queued: %s", id, out)
		}
	}
}

func TestDirectLaunch(t *testing.T) {
	c := needCluster(t)
	want := c.reference(t)
	out := filepath.Join(t.TempDir(), "counts.tsv")
	r := c.run(t, c.root, 2*time.Minute, "srun", "-N", "2", "-n", "4", "gorun", "--rank", "wordcount", "--out", out, "testdata/text")
	if r.code != 0 {
		t.Fatalf("srun gorun --rank wordcount: exit %d\n%s", r.code, r.stderr)
	}
	if got := readFile(t, out); got != want {
		t.Fatalf("word count of the direct launch differs from the serial one (%d vs %d bytes)", len(got), len(want))
	}
	if left, _ := filepath.Glob(filepath.Join(c.root, ".gorun-*")); len(left) > 0 {
		t.Fatalf("rendezvous files left behind: %v", left)
	}

	r = c.run(t, c.root, time.Minute, "srun", "-N", "2", "-n", "4", "gorun", "--rank", "--no-tag", "sh", "-c",
		`echo $GORUN_RANK $GORUN_SIZE $GORUN_NODE $GORUN_LOCAL_RANK $GORUN_LOCAL_SIZE`)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	sort.Strings(lines)
	want4 := []string{"0 4 0 0 2", "1 4 0 1 2", "2 4 1 0 2", "3 4 1 1 2"}
	if r.code != 0 || !slicesEqual(lines, want4) {
		t.Fatalf("exit %d, ranks' places %q, want %q\n%s", r.code, lines, want4, r.stderr)
	}
}

func slicesEqual(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") }

func TestDirectLaunchFailure(t *testing.T) {
	c := needCluster(t)
	prog := filepath.Join(t.TempDir(), "failrank")
	if out, err := exec.Command("go", "build", "-o", prog, "./testdata/failrank").CombinedOutput(); err != nil {
		t.Fatalf("go build failrank: %v\n%s", err, out)
	}
	r := c.run(t, c.root, time.Minute, "srun", "-N", "2", "-n", "4", "gorun", "--rank", prog)
	if r.code != 3 {
		t.Fatalf("srun exit %d, want 3 (rank 3's code)\n%s", r.code, r.stderr)
	}
	if n := strings.Count(r.stderr, "gorun: rank 3 exited with code 3"); n != 1 {
		t.Fatalf("want one line naming rank 3, got %d:\n%s", n, r.stderr)
	}
	t.Logf("srun -n 4 gorun --rank, rank 3 exits 3 while the others wait: srun returned after %v", r.took)
}

// A node that dies under a running job (every process of it but slurmd
// SIGKILLed, its agent's step with them) ends the job with the host-lost
// status and a line naming the node, and leaves nothing behind.
func TestNodeLost(t *testing.T) {
	c := needCluster(t)
	dir := t.TempDir()
	cmd := exec.Command("salloc", "-N", "2", "-n", "4", "gorun", "sh", "-c", `touch started.$GORUN_RANK; exec sleep 120`)
	cmd.Env, cmd.Dir = c.env, dir
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		if m, _ := filepath.Glob(filepath.Join(dir, "started.*")); len(m) == 4 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("ranks did not start:\n%s", errb.String())
		}
	}
	t0 := time.Now()
	out, _ := exec.Command("ip", "netns", "pids", "gs2").Output()
	for _, pid := range strings.Fields(string(out)) {
		cl, _ := os.ReadFile("/proc/" + pid + "/cmdline")
		if argv0, _, _ := strings.Cut(string(cl), "\x00"); filepath.Base(argv0) != "slurmd" {
			exec.Command("kill", "-9", pid).Run()
		}
	}
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 122 {
			t.Fatalf("salloc gorun: %v, want exit 122 (host lost)\n%s", err, errb.String())
		}
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatalf("gorun still running a minute after node h2 died:\n%s", errb.String())
	}
	if !strings.Contains(errb.String(), "host h2") {
		t.Fatalf("no line names host h2:\n%s", errb.String())
	}
	t.Logf("node h2 killed: gorun exited 122 after %v", time.Since(t0))
	// The job's step on h2 died with its slurmstepd, so SLURM holds the
	// job as completing until it hears the node is down: say so, as an
	// administrator would, and bring the node back for the other tests.
	// With ReturnToService=2 slurmd's next registration may already have
	// returned the node to service, and then RESUME is refused as invalid;
	// the wait for two idle nodes below is what must hold.
	if r := c.run(t, dir, time.Minute, "scontrol", "update", "NodeName=h2", "State=DOWN", "Reason=gorun-test"); r.code != 0 {
		t.Fatalf("scontrol update State=DOWN: %s", r.stderr)
	}
	if r := c.run(t, dir, time.Minute, "scontrol", "update", "NodeName=h2", "State=RESUME"); r.code != 0 &&
		!strings.Contains(r.stderr, "Invalid node state") {
		t.Fatalf("scontrol update State=RESUME: %s", r.stderr)
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
		r := c.run(t, dir, time.Minute, "sinfo", "-h", "-o", "%t %D")
		if strings.TrimSpace(r.stdout) == "idle 2" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("nodes not idle again: %s", r.stdout)
		}
	}
}
