package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadHostfile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "hosts")
	os.WriteFile(p, []byte("# cluster\n10.0.0.1\n10.0.0.2:4  # two\n\nnode3 slots=8\n"), 0o644)
	hosts, err := readHostfile(p)
	if err != nil || strings.Join(hosts, " ") != "10.0.0.1 10.0.0.2 node3" {
		t.Fatalf("readHostfile = %v, %v", hosts, err)
	}
	os.WriteFile(p, []byte("# nothing\n"), 0o644)
	if _, err := readHostfile(p); err == nil || !strings.Contains(err.Error(), "no hosts") {
		t.Errorf("empty hostfile: %v", err)
	}
	var hc hostsConfig
	if err := parseHosts(&hc, filepath.Join(dir, "missing"), "1", "", ""); err == nil {
		t.Errorf("a missing hostfile was accepted")
	}
	os.WriteFile(p, []byte("a\nb\n"), 0o644)
	if err := parseHosts(&hc, p, "1,0", "", ""); err == nil || !strings.Contains(err.Error(), "--ranks-per-host") {
		t.Errorf("--ranks-per-host 1,0: %v", err)
	}
}

func TestSummarizeHosts(t *testing.T) {
	var runs []hostsRun
	for rep, f := range []float64{1, 1.2, 0.8} {
		runs = append(runs,
			hostsRun{Workload: "w", Mode: "hybrid", Hosts: 1, PerHost: 2, Rep: rep + 1, WallSec: 4 * f, PeakRSS: 100, Within: 10},
			hostsRun{Workload: "w", Mode: "hybrid", Hosts: 2, PerHost: 2, Rep: rep + 1, WallSec: 2 * f, PeakRSS: 200, Within: 20, Between: 5})
	}
	rows := summarizeHosts(runs)
	if len(rows) != 2 || rows[0].Hosts != 1 || rows[1].Hosts != 2 {
		t.Fatalf("rows %+v", rows)
	}
	if r := rows[1]; r.Speedup != 2 || r.Time.Median != 2 || r.Between != 5 || r.Reps != 3 {
		t.Errorf("2 hosts: speedup %v, median %v, between %v, reps %d; want 2, 2, 5, 3", r.Speedup, r.Time.Median, r.Between, r.Reps)
	}
	var b strings.Builder
	if err := writeHostsCSV(&b, rows, "1gbit"); err != nil || !strings.Contains(b.String(), "w,hybrid,1gbit,2,2,4,3,2,") {
		t.Errorf("CSV:\n%s (%v)", b.String(), err)
	}
}
