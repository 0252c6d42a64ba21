package costplot_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gorun-dev/gorun/cmd/internal/costmodel"
	"github.com/gorun-dev/gorun/cmd/internal/costmodel/costplot"
)

func report() *costmodel.Report {
	rep := &costmodel.Report{Ranks: 6, Nodes: 3, Links: []costmodel.LinkFit{
		{Mode: "processes-intra", From: costmodel.FromLatency, AlphaUsec: 40, BetaMBps: 800, R2: 0.999, Sizes: 13},
		{Mode: "processes-inter", From: costmodel.FromLatency, AlphaUsec: 90, BetaMBps: 150, R2: 0.998, Sizes: 13},
		{Mode: "processes-inter", From: costmodel.FromBandwidth, AlphaUsec: 9, BetaMBps: 110, R2: 0.998, Sizes: 13},
		{Mode: "processes-intra", From: costmodel.FromModel, AlphaUsec: 40, BetaMBps: 800},
		{Mode: "processes-inter", From: costmodel.FromModel, AlphaUsec: 90, BetaMBps: 110},
	}}
	for _, mode := range []string{"processes-flat", "processes-staged"} {
		for m := 8; m <= 1<<20; m *= 8 {
			rep.Collectives = append(rep.Collectives, costmodel.Collective{
				Op: costmodel.Allreduce, Mode: mode, Ranks: 6, Bytes: m, Usec: 200 + float64(m)/50,
				ModelUsec: 150 + float64(m)/80, Algorithm: "ring", Links: "processes-intra,processes-inter"})
		}
	}
	rep.Collectives = append(rep.Collectives, costmodel.Collective{Op: costmodel.Barrier, Mode: "processes", Ranks: 6, Usec: 300})
	return rep
}

func TestDraw(t *testing.T) {
	var png, svg bytes.Buffer
	if err := costplot.PNG(&png, report(), costplot.Options{Link: "1gbit"}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png.Bytes(), []byte("\x89PNG")) {
		t.Errorf("PNG starts %q", png.Bytes()[:min(8, png.Len())])
	}
	if err := costplot.SVG(&svg, report(), costplot.Options{Link: "1gbit"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"links shaped to 1gbit", "6 ranks, 3 hosts",
		"processes-staged model: ring; alpha 40 | 90 us, beta 800 | 110 MB/s (host | between hosts)",
		"processes-flat measured", "processes-inter bandwidth fit: alpha 9 us, beta 110 MB/s",
	} {
		if !strings.Contains(svg.String(), want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	var plain bytes.Buffer
	if err := costplot.SVG(&plain, report(), costplot.Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "links shaped") {
		t.Error("a title names a link speed that was not given")
	}
}

func TestDrawNothing(t *testing.T) {
	rep := &costmodel.Report{Ranks: 2, Nodes: 1, Collectives: []costmodel.Collective{{Op: costmodel.Barrier, Mode: "nats", Ranks: 2, Usec: 30}}}
	var b bytes.Buffer
	if err := costplot.PNG(&b, rep, costplot.Options{}); err == nil || !strings.Contains(err.Error(), "no bcast, allreduce or alltoall") {
		t.Errorf("error %v", err)
	}
}
