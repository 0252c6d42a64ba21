package clustertest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestCongestedRoute: the launcher on host 3, whose link is shaped to
// 20 mbit each way (tc htb) with megabytes queued towards it, runs pi on
// hosts 1 and 2: every run (GORUN_CLUSTER_TRIALS of them) completes with
// the answer of one host. Behind a congested route the ready barrier and
// the first messages are the most delayed traffic of a job.
func TestCongestedRoute(t *testing.T) {
	c := needCluster(t)
	pi := filepath.Join(c.bin, "pi")
	one := c.gorun(t, time.Minute, "-n", "4", "--oversubscribe", "-q", pi)
	want := firstLine(one.stdout, "[rank 0] pi=")
	if one.code != 0 || want == "" {
		t.Fatalf("one host: exit %d\n%s%s", one.code, one.stdout, one.stderr)
	}
	c.congest(t, 3)
	n := trials(t)
	var failed []string
	for i := range n {
		args := append(append([]string{"-H", c.hostList(2, 2), "-q"}, c.via()["ssh"]...), pi)
		r, err := c.tryOn(3, 2*time.Minute, args...)
		switch {
		case err != nil:
			failed = append(failed, fmt.Sprintf("trial %d: %v", i+1, err))
		case r.code != 0:
			failed = append(failed, fmt.Sprintf("trial %d: exit %d\n%s%s", i+1, r.code, r.stdout, r.stderr))
		case firstLine(r.stdout, "[rank 0] pi=") != want:
			failed = append(failed, fmt.Sprintf("trial %d: %q, on one host %q", i+1, firstLine(r.stdout, "[rank 0] pi="), want))
		default:
			t.Logf("trial %d: %v, %s queued towards host 3", i+1, r.took.Round(time.Millisecond), c.backlog(t, 3))
		}
	}
	if len(failed) > 0 {
		t.Errorf("%d of %d runs failed; first: %s", len(failed), n, failed[0])
	}
}

// congest shapes host h's link to 20 mbit each way, with a queue of up
// to 3000 packets towards h, and keeps megabytes queued there with a bulk
// transfer from host 1 over ssh until the test ends. The transfer uses
// cubic congestion control, which fills a queue until it drops (the
// machine's default, bbr, keeps queues short on purpose).
func (c *cluster) congest(t *testing.T, h int) {
	t.Helper()
	veth := "v" + c.prefix() + fmt.Sprint(h)
	shape := func(run func(...string) (string, error), dev string) {
		for _, tc := range [][]string{
			{"tc", "qdisc", "add", "dev", dev, "root", "handle", "1:", "htb", "default", "10", "r2q", "100"},
			{"tc", "class", "add", "dev", dev, "parent", "1:", "classid", "1:10", "htb", "rate", "20mbit"},
			{"tc", "qdisc", "add", "dev", dev, "parent", "1:10", "handle", "10:", "pfifo", "limit", "3000"},
		} {
			if out, err := run(tc...); err != nil {
				t.Fatalf("%v: %v\n%s", tc, err, out)
			}
		}
	}
	local := func(args ...string) (string, error) {
		out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
		return string(out), err
	}
	shape(func(args ...string) (string, error) { return c.onHost(h, args...) }, "eth0")
	t.Cleanup(func() { c.onHost(h, "tc", "qdisc", "del", "dev", "eth0", "root") })
	shape(local, veth)
	t.Cleanup(func() { local("tc", "qdisc", "del", "dev", veth, "root") })
	subnet := strings.Join(strings.Split(c.hosts[0], ".")[:3], ".") + ".0/24"
	if out, err := c.onHost(1, "ip", "route", "replace", subnet, "dev", "eth0", "congctl", "cubic"); err != nil {
		t.Fatalf("cubic on host 1: %v\n%s", err, out)
	}
	bulk := exec.Command(c.script, "exec", "1", "sh", "-c",
		"exec ssh -F "+filepath.Join(c.dir, "ssh_config")+" "+c.hosts[h-1]+" 'cat >/dev/null' </dev/zero")
	bulk.Env = append(os.Environ(), c.env...)
	if err := bulk.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		bulk.Process.Kill()
		bulk.Wait()
	})
	deadline := time.Now().Add(60 * time.Second)
	for c.backlogBytes(t, veth) < 3<<19 {
		if time.Now().After(deadline) {
			t.Fatalf("the link to host %d: %s queued after 60s of bulk traffic, want megabytes", h, c.backlog(t, h))
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("host %d's link: 20 mbit, %s queued towards it", h, c.backlog(t, h))
}

// prefix is the cluster's namespace prefix.
func (c *cluster) prefix() string {
	for _, kv := range c.env {
		if v, ok := strings.CutPrefix(kv, "GORUN_CLUSTER_PREFIX="); ok {
			return v
		}
	}
	return "gh"
}

var backlogRE = regexp.MustCompile(`backlog (\d+)([KM]?)b`)

// backlogBytes is the largest backlog of a queue on the device dev of
// the machine (outside the cluster).
func (c *cluster) backlogBytes(t *testing.T, dev string) int {
	t.Helper()
	out, err := exec.Command("tc", "-s", "qdisc", "show", "dev", dev).CombinedOutput()
	if err != nil {
		t.Fatalf("tc -s qdisc show dev %s: %v\n%s", dev, err, out)
	}
	most := 0
	for _, m := range backlogRE.FindAllStringSubmatch(string(out), -1) {
		n, _ := strconv.Atoi(m[1])
		switch m[2] {
		case "K":
			n <<= 10
		case "M":
			n <<= 20
		}
		most = max(most, n)
	}
	return most
}

// backlog is what is queued towards host h, for the log.
func (c *cluster) backlog(t *testing.T, h int) string {
	return fmt.Sprintf("%.1f MB", float64(c.backlogBytes(t, "v"+c.prefix()+fmt.Sprint(h)))/1e6)
}
