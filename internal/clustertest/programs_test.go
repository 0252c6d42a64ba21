package clustertest

import (
	"bytes"
	"fmt"
	"os"
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

// TestEnvironment: every rank learns its place (rank, host and local
// rank) from the environment and from comm.Place.
func TestEnvironment(t *testing.T) {
	c := needCluster(t)
	r := c.gorun(t, time.Minute, "-H", c.hostList(1, 2, 2), "--launch-agent", c.script+" exec {host}",
		"sh", "-c", `echo $GORUN_RANK/$GORUN_SIZE $GORUN_LOCAL_RANK/$GORUN_LOCAL_SIZE $GORUN_NODE/$GORUN_NODES $(hostname -I); exec "$0" place -1`, c.failprog(t))
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
		f := strings.Fields(want)
		if want, line := "place "+f[1]+" "+f[2], firstLine(r.stdout, prefix+"place "); strings.TrimPrefix(line, prefix) != want {
			t.Errorf("rank %d: comm.Place: %q, want %q", rank, line, want)
		}
	}
}

// TestWordcount: word count of the bundled texts across 3 hosts writes
// the file it writes on one host, byte for byte.
func TestWordcount(t *testing.T) {
	c := needCluster(t)
	wc := filepath.Join(c.bin, "wordcount")
	text, err := filepath.Abs("../../testdata/text")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	one := filepath.Join(dir, "one.tsv")
	if r := c.gorun(t, 2*time.Minute, "-n", "5", "--oversubscribe", "-q", wc, "--out", one, text); r.code != 0 {
		t.Fatalf("one host: exit %d\n%s", r.code, r.stderr)
	}
	want, err := os.ReadFile(one)
	if err != nil || len(want) == 0 {
		t.Fatalf("one host wrote %d bytes: %v", len(want), err)
	}
	for name, via := range c.via() {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, name+".tsv")
			args := append(append([]string{"-H", c.hostList(1, 2, 2), "-q"}, via...), wc, "--out", out, text)
			if r := c.gorun(t, 2*time.Minute, args...); r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			if got, err := os.ReadFile(out); err != nil || !bytes.Equal(got, want) {
				t.Errorf("across hosts: %d bytes (%v), on one host %d bytes, not the same", len(got), err, len(want))
			}
		})
	}
}

// TestStdinAndTimeout: stdin reaches rank 0 on its host and no other rank;
// --timeout ends a job on every host with 124.
func TestStdinAndTimeout(t *testing.T) {
	c := needCluster(t)
	cmd, out, errb := c.command("-H", c.hostList(1, 2, 2), "--ssh", "ssh -F "+filepath.Join(c.dir, "ssh_config"),
		"sh", "-c", `echo "$GORUN_RANK read $(wc -c)"`)
	cmd.Stdin = strings.NewReader(strings.Repeat("x", 100000))
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, errb)
	}
	for rank, want := range []string{"0 read 100000", "1 read 0", "2 read 0", "3 read 0", "4 read 0"} {
		if line := firstLine(out.String(), fmt.Sprintf("[rank %d] ", rank)); !strings.HasSuffix(line, want) {
			t.Errorf("rank %d: %q, want %q", rank, line, want)
		}
	}

	t0 := time.Now()
	r := c.gorun(t, time.Minute, "-H", c.hostList(1, 2, 2), "--launch-agent", c.script+" exec {host}", "--timeout", "3s", c.failprog(t), "hang", "-1")
	if r.code != 124 || !strings.Contains(r.stderr, "timed out after 3s") {
		t.Fatalf("exit %d, want 124\n%s", r.code, r.stderr)
	}
	// The 3 s count from the start of every host's agent; starting them
	// and ending the job on a loaded machine take seconds more, far less
	// than the minute a job that ignored --timeout would run.
	took := time.Since(t0)
	t.Logf("--timeout 3s: the job took %v", took)
	if took > 3*time.Second+10*time.Second {
		t.Errorf("--timeout 3s: the job took %v", took)
	}
}

// TestTracts: the distance from every Cook County tract to its 3rd nearest
// Illinois ZIP centroid, across 3 hosts (1, 2 and 2 ranks), with static
// and dynamic schedules, writes the file it writes on one host, byte for
// byte.
func TestTracts(t *testing.T) {
	c := needCluster(t)
	tracts := filepath.Join(c.bin, "tracts")
	geo, err := filepath.Abs("../../testdata/geo")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, schedule := range []string{"static", "dynamic"} {
		t.Run(schedule, func(t *testing.T) {
			args := func(out string) []string {
				return []string{tracts, "--tracts", filepath.Join(geo, "il_2018.geojson"), "--filter", "COUNTYFP=031",
					"--points", filepath.Join(geo, "zips_il.csv"), "--k", "3", "--schedule", schedule, "--out", out}
			}
			one := filepath.Join(dir, schedule+"-one.csv")
			if r := c.gorun(t, 2*time.Minute, append([]string{"-n", "5", "--oversubscribe", "-q"}, args(one)...)...); r.code != 0 {
				t.Fatalf("one host: exit %d\n%s", r.code, r.stderr)
			}
			want, err := os.ReadFile(one)
			if err != nil || bytes.Count(want, []byte("\n")) < 1000 {
				t.Fatalf("one host wrote %d bytes: %v", len(want), err)
			}
			for name, via := range c.via() {
				out := filepath.Join(dir, schedule+"-"+name+".csv")
				r := c.gorun(t, 2*time.Minute, append(append([]string{"-H", c.hostList(1, 2, 2), "-q"}, via...), args(out)...)...)
				if r.code != 0 {
					t.Fatalf("%s: exit %d\n%s", name, r.code, r.stderr)
				}
				if got, err := os.ReadFile(out); err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s: across hosts %d bytes (%v), on one host %d bytes, not the same", name, len(got), err, len(want))
				}
			}
		})
	}
}
