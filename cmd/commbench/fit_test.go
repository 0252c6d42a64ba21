package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gorun-dev/gorun/cmd/internal/costmodel"
)

// hockney is the one-way time of m bytes on a link, in microseconds.
func hockney(alphaUsec, mbps float64, m int) float64 { return alphaUsec + float64(m)/mbps }

func TestPeersOf(t *testing.T) {
	for _, tc := range []struct {
		nodes []int
		n     int
		want  []pair
	}{
		{[]int{0, 0, 0}, 1, []pair{{to: 1}}},
		{[]int{0, 0, 1, 1}, 2, []pair{{1, suffixIntra}, {2, suffixInter}}},
		{[]int{0, 1, 0, 1}, 2, []pair{{2, suffixIntra}, {1, suffixInter}}},
		{[]int{2, 1, 0}, 3, []pair{{1, suffixInter}}}, // one rank a host: nothing within
	} {
		n, got := peersOf(tc.nodes)
		if n != tc.n || !slices.Equal(got, tc.want) {
			t.Errorf("peersOf(%v) = %d, %v; want %d, %v", tc.nodes, n, got, tc.n, tc.want)
		}
	}
}

// fitRows are the rows of a 6-rank job on 3 hosts with known links:
// ping-pong 2 us and 1000 MB/s within a host, 50 us and 100 MB/s between;
// streaming 2000 MB/s within (faster: the model keeps 1000) and 50 MB/s
// between (slower: the model takes it); and collective rows at exactly
// twice the model.
func fitRows(t *testing.T) ([]row, costmodel.Net) {
	t.Helper()
	net := costmodel.Net{Intra: costmodel.Link{Alpha: 2e-6, Beta: 1e9}, Inter: costmodel.Link{Alpha: 50e-6, Beta: 5e7}}
	var rows []row
	for m := 1; m <= 1<<20; m *= 8 {
		rows = append(rows,
			row{Op: opLatency, Mode: "processes-intra", Ranks: 6, Bytes: m, Usec: hockney(2, 1000, m)},
			row{Op: opLatency, Mode: "processes-inter", Ranks: 6, Bytes: m, Usec: hockney(50, 100, m)},
			row{Op: opBandwidth, Mode: "processes-intra", Ranks: 6, Bytes: m, Usec: hockney(1, 2000, m)},
			row{Op: opBandwidth, Mode: "processes-inter", Ranks: 6, Bytes: m, Usec: hockney(3, 50, m)})
	}
	for _, mode := range []string{"processes-flat", "processes-staged"} {
		for _, m := range []int{8, 1 << 20} {
			p, err := costmodel.Predict(costmodel.Allreduce, costmodel.Shape{Ranks: 6, Nodes: 3, Staged: mode == "processes-staged"}, m, net)
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, row{Op: opAllreduce, Mode: mode, Ranks: 6, Bytes: m, Usec: 2 * p.Seconds * 1e6})
		}
	}
	return append(rows, row{Op: opBarrier, Mode: "processes", Ranks: 6, Usec: 300}), net
}

func TestFitReport(t *testing.T) {
	rows, _ := fitRows(t)
	var warned []string
	rep := fitReport(rows, world{ranks: 6, nodes: 3}, func(f string, a ...any) { warned = append(warned, f) })
	if len(warned) > 0 {
		t.Errorf("warnings: %q", warned)
	}
	want := map[string][2]float64{
		"processes-intra latency": {2, 1000}, "processes-inter latency": {50, 100},
		"processes-intra bandwidth": {1, 2000}, "processes-inter bandwidth": {3, 50},
		"processes-intra model": {2, 1000}, "processes-inter model": {50, 50},
	}
	if len(rep.Links) != len(want) {
		t.Fatalf("links %+v, want %v", rep.Links, want)
	}
	for _, l := range rep.Links {
		w := want[l.Mode+" "+l.From]
		if math.Abs(l.AlphaUsec-w[0]) > 1e-6*w[0] || math.Abs(l.BetaMBps-w[1]) > 1e-6*w[1] {
			t.Errorf("link %s: alpha %v us, beta %v MB/s; want %v", l.Mode, l.AlphaUsec, l.BetaMBps, w)
		}
	}
	if len(rep.Collectives) != 5 {
		t.Fatalf("%d collectives, want 5", len(rep.Collectives))
	}
	for _, c := range rep.Collectives {
		if c.Op == opBarrier {
			continue
		}
		if r := c.Usec / c.ModelUsec; math.Abs(r-2) > 1e-6 {
			t.Errorf("%s %s %d: measured/model %v, want 2", c.Op, c.Mode, c.Bytes, r)
		}
		if c.Links != "processes-intra,processes-inter" {
			t.Errorf("%s %s: links %q", c.Op, c.Mode, c.Links)
		}
	}
	if got := rep.Collectives[3].Algorithm; got != "staged: reduce-scatter + rings + allgather" {
		t.Errorf("staged 1 MiB algorithm %q", got)
	}
	if got := rep.Collectives[1].Algorithm; got != "ring" {
		t.Errorf("flat 1 MiB algorithm %q", got)
	}
	// The barrier of mode processes: its links are processes-intra and
	// processes-inter too.
	if b := rep.Collectives[4]; b.ModelUsec <= 0 || b.Algorithm != "staged: notify + dissemination + release" {
		t.Errorf("barrier: %+v", b)
	}
}

// A mode whose latency rows cannot be fitted is named in a warning, and
// its collectives carry no model.
func TestFitReportUnfittable(t *testing.T) {
	rows := []row{{Op: opLatency, Mode: "nats", Ranks: 2, Bytes: 8, Usec: 20}, {Op: opBcast, Mode: "nats", Ranks: 2, Bytes: 8, Usec: 40}}
	var warned []string
	rep := fitReport(rows, world{ranks: 2, nodes: 1}, func(f string, a ...any) { warned = append(warned, f) })
	if len(warned) != 1 || len(rep.Links) != 0 || rep.Collectives[0].ModelUsec != 0 {
		t.Errorf("warnings %q, report %+v", warned, rep)
	}
}

func TestWriteFit(t *testing.T) {
	rows, _ := fitRows(t)
	rep := fitReport(rows, world{ranks: 6, nodes: 3}, t.Logf)
	path := filepath.Join(t.TempDir(), "fit.json")
	var log bytes.Buffer
	if err := writeFit(path, rep, &log); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"commbench: fit processes-inter latency: alpha 50.00 us, beta 100.0 MB/s",
		"commbench: model processes-inter: alpha 50.00 us, beta 50.0 MB/s",
		"commbench: allreduce processes-staged: measured/model 2.00x median",
	} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, &log)
		}
	}
	back, err := costmodel.ReadReport(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(rep)
	b, _ := json.Marshal(back)
	if !bytes.Equal(a, b) {
		t.Errorf("read back\n%s\nwrote\n%s", b, a)
	}
}

// commbench --fit on a goroutine world writes a report with the
// goroutines link and a prediction for every collective that moves
// messages.
func TestRunFit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fit.json")
	recs := runCSV(t, "-n", "3", "--ops", "latency,allreduce,barrier", "--sizes", "8,64K,1M", "--iters", "3", "--repeats", "3", "--raw=false", "--fit", path)
	if len(recs) != 7 {
		t.Fatalf("%d rows, want 7", len(recs))
	}
	rep, err := costmodel.ReadReport(path)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Ranks != 3 || rep.Nodes != 1 || len(rep.Links) != 2 || rep.Links[0].Mode != modeGoroutines || rep.Links[0].Sizes != 3 {
		t.Fatalf("report %+v", rep)
	}
	for _, c := range rep.Collectives {
		shared := c.Op == opAllreduce && c.Bytes >= 64<<10 // reduced in shared memory: no model
		if (c.ModelUsec > 0) == shared {
			t.Errorf("%s %d bytes: model %v us (%q)", c.Op, c.Bytes, c.ModelUsec, c.Algorithm)
		}
	}
}

func TestFitFlagErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		arg, want string
	}{
		{"-", "name a file"},
		{filepath.Join(dir, "no", "fit.json"), "does not exist"},
		{dir, "is a directory"},
	} {
		_, err := parseFlags([]string{"--fit", tc.arg})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "--fit ") {
			t.Errorf("--fit %s: %v, want an error about --fit containing %q", tc.arg, err, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "no")); err == nil {
		t.Error("a bad --fit created a directory")
	}
}
