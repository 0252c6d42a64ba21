package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/cmd/internal/costmodel"
	"github.com/gorun-dev/gorun/launcher"
)

// TestProcessesMode runs the test binary as the 2 ranks of a gorun job
// (through the launcher, as gorun would) and checks that rank 0 alone
// printed the CSV, including the raw NATS rows.
func TestProcessesMode(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := launcher.Run(ctx, launcher.Config{
		Program: os.Args[0], Args: []string{"-test.run=^$"},
		Size: 2, Oversubscribe: true, Tag: launcher.TagOff,
		Env: []string{"COMMBENCH_BE_MAIN=1",
			"COMMBENCH_ARGS=--mode processes --format csv --ops latency,alltoall,barrier --sizes 8 --iters 2 --repeats 1"},
		Stdout: &out, Stderr: &errOut,
	})
	if err != nil {
		t.Fatalf("job: %v\nstderr:\n%s", err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) == 0 || lines[0] != csvHeader {
		t.Fatalf("output does not start with the header:\n%s", out.String())
	}
	var recs [][]string
	for _, l := range lines[1:] {
		rec := strings.Split(l, ",")
		checkRow(t, rec)
		recs = append(recs, rec)
	}
	want := []string{"latency/processes/2/8", "latency/nats-raw/2/8", "reqreply/nats-raw/2/8",
		"alltoall/processes/2/8", "barrier/processes/2/0"}
	if got := keys(recs); !slices.Equal(got, want) {
		t.Errorf("rows\n%q\nwant\n%q", got, want)
	}
}

// Under gorun --mode hybrid the rows say mode hybrid, and --fit prices
// them on the hybrid link (one host: one process holds every rank). The
// sizes are far apart and each is the median of three batches, so that a
// pause of the machine cannot make the larger one look faster and leave
// the link without a fit.
func TestHybridMode(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	fit := filepath.Join(t.TempDir(), "fit.json")
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := launcher.Run(ctx, launcher.Config{
		Program: os.Args[0], Args: []string{"-test.run=^$"}, Mode: launcher.ModeHybrid,
		Size: 3, Oversubscribe: true, Tag: launcher.TagOff,
		Env: []string{"COMMBENCH_BE_MAIN=1",
			"COMMBENCH_ARGS=--mode processes --format csv --raw=false --ops latency,bcast --sizes 8,4M --iters 2 --repeats 3 --fit " + fit},
		Stdout: &out, Stderr: &errOut,
	})
	if err != nil {
		t.Fatalf("job: %v\nstderr:\n%s", err, errOut.String())
	}
	var recs [][]string
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n")[1:] {
		rec := strings.Split(l, ",")
		checkRow(t, rec)
		recs = append(recs, rec)
	}
	want := []string{"latency/hybrid/3/8", "latency/hybrid/3/4194304", "bcast/hybrid/3/8", "bcast/hybrid/3/4194304"}
	if got := keys(recs); !slices.Equal(got, want) {
		t.Errorf("rows\n%q\nwant\n%q", got, want)
	}
	rep, err := costmodel.ReadReport(fit)
	if err != nil {
		t.Fatal(err)
	}
	if c := rep.Collectives[0]; c.Mode != modeHybrid || c.ModelUsec <= 0 || c.Links != modeHybrid {
		t.Errorf("collective %+v: want a prediction on the hybrid link", c)
	}
}
