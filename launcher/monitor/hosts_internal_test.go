package monitor

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/launcher"
)

// TestMergeHostSnapshots merges the snapshots of two hosts as the launcher
// receives them: rows keep their host, ranks and launcher time; every
// snapshot adds a total over the latest of each host; a host's empty
// snapshot (its ranks exited) drops it from the totals; the summary takes
// each rank's host, pid, CPU and peak from its samples.
func TestMergeHostSnapshots(t *testing.T) {
	t0 := time.Unix(1000, 0)
	clock := t0
	s := newSampler(&launcher.Job{Mode: launcher.ModeProcesses, Size: 3}, func() time.Time { return clock })
	s.sample() // sets t0; no local processes
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	s.merge([]launcher.HostSnapshot{
		{Host: "h1", At: at(100), Ranks: []launcher.RankUsage{{Rank: 0, PID: 11, CPU: 50, CPUSec: 0.1, RSS: 1000, PeakRSS: 1500}}},
		{Host: "h2", At: at(120), Ranks: []launcher.RankUsage{
			{Rank: 1, PID: 21, CPU: 100, CPUSec: 0.2, RSS: 2000, PeakRSS: 2000},
			{Rank: 2, PID: 22, CPU: 10, CPUSec: 0.05, RSS: 3000, PeakRSS: 3000}}},
	})
	s.merge([]launcher.HostSnapshot{
		{Host: "h1", At: at(200), Ranks: nil},
		{Host: "h2", At: at(220), Ranks: []launcher.RankUsage{{Rank: 1, PID: 21, CPU: 90, CPUSec: 0.3, RSS: 2500, PeakRSS: 4000}}},
	})
	want := []Sample{
		{Time: 0.1, Host: "h1", Rank: "0", PID: 11, CPU: 50, RSS: 1000},
		{Time: 0.1, Host: "all", Rank: "total", CPU: 50, RSS: 1000},
		{Time: 0.12, Host: "h2", Rank: "1", PID: 21, CPU: 100, RSS: 2000},
		{Time: 0.12, Host: "h2", Rank: "2", PID: 22, CPU: 10, RSS: 3000},
		{Time: 0.12, Host: "all", Rank: "total", CPU: 160, RSS: 6000},
		{Time: 0.2, Host: "all", Rank: "total", CPU: 110, RSS: 5000},
		{Time: 0.22, Host: "h2", Rank: "1", PID: 21, CPU: 90, RSS: 2500},
		{Time: 0.22, Host: "all", Rank: "total", CPU: 90, RSS: 2500},
	}
	if !reflect.DeepEqual(s.rows, want) {
		t.Fatalf("rows:\n%+v\nwant\n%+v", s.rows, want)
	}

	clock = at(300)
	rep := s.report(&launcher.Job{Mode: launcher.ModeProcesses, Size: 3}, 100*time.Millisecond)
	wantRanks := []RankSummary{
		{Rank: 0, Host: "h1", PID: 11, PeakRSS: 1500, CPUSec: 0.1},
		{Rank: 1, Host: "h2", PID: 21, PeakRSS: 4000, CPUSec: 0.3},
		{Rank: 2, Host: "h2", PID: 22, PeakRSS: 3000, CPUSec: 0.05},
	}
	for i := range rep.Ranks {
		rep.Ranks[i].MeanCPU = 0
	}
	if !reflect.DeepEqual(rep.Ranks, wantRanks) {
		t.Errorf("ranks %+v, want %+v", rep.Ranks, wantRanks)
	}
	if rep.PeakTotalRSS != 6000 || rep.SumPeakRSS != 8500 {
		t.Errorf("peak total %d, sum of peaks %d: want 6000, 8500", rep.PeakTotalRSS, rep.SumPeakRSS)
	}

	// The CSV round-trips, host column included.
	path := filepath.Join(t.TempDir(), "run.csv")
	m := &Monitor{Path: path}
	if err := m.write(rep, s.rows); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSamples(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back:\n%+v\nwant\n%+v", got, want)
	}
}

// TestReadSamplesWithoutHost reads a CSV from before the host column.
func TestReadSamplesWithoutHost(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.csv")
	if err := os.WriteFile(path, []byte(csvHeaderNoHost+"\n0.000,0,12,1.5,4096\n0.000,total,0,1.5,4096\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSamples(path)
	want := []Sample{{Time: 0, Rank: "0", PID: 12, CPU: 1.5, RSS: 4096}, {Time: 0, Rank: "total", CPU: 1.5, RSS: 4096}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ReadSamples = %+v, %v; want %+v", got, err, want)
	}
}
