package clustertest

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPi: pi on 5 ranks across 3 hosts (1, 2 and 2 ranks), through ssh
// and through a template, gives the answer it gives on one host.
func TestPi(t *testing.T) {
	c := needCluster(t)
	pi := filepath.Join(c.bin, "pi")
	one := c.gorun(t, time.Minute, "-n", "5", "--oversubscribe", "-q", pi)
	want := firstLine(one.stdout, "[rank 0] pi=")
	if one.code != 0 || want == "" {
		t.Fatalf("one host: exit %d\n%s%s", one.code, one.stdout, one.stderr)
	}
	for name, via := range c.via() {
		t.Run(name, func(t *testing.T) {
			args := append(append([]string{"-H", c.hostList(1, 2, 2), "-q"}, via...), pi)
			r := c.gorun(t, time.Minute, args...)
			if r.code != 0 {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if got := firstLine(r.stdout, "[rank 0] pi="); got != want {
				t.Errorf("across hosts: %q; on one host: %q", got, want)
			}
		})
	}
}

// TestEnvironment: every rank learns its place: rank, host and local rank.
func TestEnvironment(t *testing.T) {
	c := needCluster(t)
	r := c.gorun(t, time.Minute, "-H", c.hostList(1, 2, 2), "--launch-agent", c.script+" exec {host}",
		"sh", "-c", `echo $GORUN_RANK/$GORUN_SIZE $GORUN_LOCAL_RANK/$GORUN_LOCAL_SIZE $GORUN_NODE/$GORUN_NODES $(hostname -I)`)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for rank, want := range []string{
		"0/5 0/1 0/3 " + c.hosts[0],
		"1/5 0/2 1/3 " + c.hosts[1],
		"2/5 1/2 1/3 " + c.hosts[1],
		"3/5 0/2 2/3 " + c.hosts[2],
		"4/5 1/2 2/3 " + c.hosts[2],
	} {
		prefix := "[rank " + string(rune('0'+rank)) + "] "
		if line := firstLine(r.stdout, prefix); strings.TrimPrefix(line, prefix) != want {
			t.Errorf("rank %d: %q, want %q", rank, line, want)
		}
	}
}
