package clustertest

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/launcher/monitor"
)

// TestMonitor: gorun --monitor across 3 hosts (1, 2 and 2 ranks) writes
// samples from every host's agent, each host's rows naming exactly its own
// ranks, and a summary with every rank's host, pid and CPU time.
func TestMonitor(t *testing.T) {
	c := needCluster(t)
	prog := c.failprog(t)
	path := filepath.Join(t.TempDir(), "run")
	args := append([]string{"-H", c.hostList(1, 2, 2), "-q", "--monitor", path, "--monitor-interval", "50ms"},
		c.via()["ssh"]...)
	r := c.gorun(t, time.Minute, append(args, prog, "loop", "2")...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	samples, err := monitor.ReadSamples(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{c.hosts[0]: {"0"}, c.hosts[1]: {"1", "2"}, c.hosts[2]: {"3", "4"}}
	got := map[string][]string{}
	rows := map[string]int{}
	totals := 0
	for _, s := range samples {
		if s.Rank == "total" {
			if s.Host != "all" {
				t.Errorf("total row %+v: host %q, want all", s, s.Host)
			}
			totals++
			continue
		}
		if s.PID <= 0 || s.RSS <= 0 {
			t.Errorf("row %+v: want a pid and a positive RSS", s)
		}
		if !slices.Contains(got[s.Host], s.Rank) {
			got[s.Host] = append(got[s.Host], s.Rank)
		}
		rows[s.Rank]++
	}
	for h, ranks := range got {
		slices.SortFunc(ranks, func(a, b string) int { x, _ := strconv.Atoi(a); y, _ := strconv.Atoi(b); return x - y })
		got[h] = ranks
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ranks by host in the samples: %v, want %v", got, want)
	}
	// 2 s of work sampled every 50 ms: many rows per rank, whatever the load.
	for rank, n := range rows {
		if n < 5 {
			t.Errorf("rank %s: %d rows, want 5 or more", rank, n)
		}
	}
	if totals == 0 {
		t.Error("no total rows")
	}

	rep, err := monitor.ReadReport(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Ranks) != 5 {
		t.Fatalf("summary has %d ranks, want 5: %+v", len(rep.Ranks), rep.Ranks)
	}
	for _, rs := range rep.Ranks {
		wantHost := c.hosts[map[int]int{0: 0, 1: 1, 2: 1, 3: 2, 4: 2}[rs.Rank]]
		if rs.Host != wantHost || rs.PID <= 0 || rs.CPUSec <= 0 || rs.PeakRSS <= 0 {
			t.Errorf("summary of rank %d: %+v, want host %s, a pid, CPU time and a peak", rs.Rank, rs, wantHost)
		}
	}
}
