package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/gorun-dev/gorun/cmd/internal/costmodel"
	"github.com/gorun-dev/gorun/cmd/internal/outfile"
)

// Mode suffixes of the point-to-point rows of a job that spans hosts: rank
// 0 with a rank on its host, and with a rank on another host.
const (
	suffixIntra = "-intra"
	suffixInter = "-inter"
)

// world is what --fit needs to know of the world the rows came from.
type world struct {
	ranks, nodes int
	shared       bool // goroutine world: large Allreduce in shared memory
}

// fitReport fits a link to the latency rows and one to the bandwidth rows
// of every mode, and prices every collective row on the links of its
// mode: MODE-intra (or MODE) within a host, MODE-inter between hosts; the
// -flat and -staged rows of --topology both share their mode's links.
// The link priced (costmodel.FromModel) has the latency fit's alpha and
// the lower of the two fits' beta: a ping-pong's lone message can ride a
// shaped link's burst, where a collective's back-to-back messages get the
// streaming rate.
func fitReport(rows []row, w world, warn func(string, ...any)) *costmodel.Report {
	rep := &costmodel.Report{Ranks: w.ranks, Nodes: w.nodes}
	lat := fitOp(rep, rows, opLatency, costmodel.FromLatency, warn)
	stream := fitOp(rep, rows, opBandwidth, costmodel.FromBandwidth, warn)
	links := map[string]costmodel.Link{}
	for _, m := range slices.Sorted(maps.Keys(lat)) {
		l := lat[m]
		if b, ok := stream[m]; ok && b.Beta < l.Beta {
			l.Beta = b.Beta
		}
		links[m] = l
		rep.Links = append(rep.Links, costmodel.NewLinkFit(m, costmodel.FromModel, l))
	}
	for _, r := range rows {
		if !slices.Contains([]string{opBcast, opAllreduce, opAlltoall, opBarrier}, r.Op) {
			continue
		}
		c := costmodel.Collective{Op: r.Op, Mode: r.Mode, Ranks: r.Ranks, Bytes: r.Bytes, Usec: r.Usec}
		base := strings.TrimSuffix(strings.TrimSuffix(r.Mode, "-flat"), "-staged")
		net, names, ok := netOf(links, base, w.nodes)
		if ok {
			shape := costmodel.Shape{Ranks: r.Ranks, Nodes: w.nodes, Staged: !strings.HasSuffix(r.Mode, "-flat"), SharedMemory: w.shared}
			if p, err := costmodel.Predict(r.Op, shape, r.Bytes, net); err == nil {
				c.ModelUsec, c.Algorithm, c.Links = p.Seconds*1e6, p.Algorithm, names
			}
		}
		rep.Collectives = append(rep.Collectives, c)
	}
	return rep
}

// fitOp fits a link to the rows of op of every mode, adds each to rep as
// from, and warns of a mode it cannot fit.
func fitOp(rep *costmodel.Report, rows []row, op, from string, warn func(string, ...any)) map[string]costmodel.Link {
	samples := map[string][]costmodel.Sample{}
	for _, r := range rows {
		if r.Op == op {
			samples[r.Mode] = append(samples[r.Mode], costmodel.Sample{Bytes: r.Bytes, Seconds: r.Usec * 1e-6})
		}
	}
	links := map[string]costmodel.Link{}
	for _, m := range slices.Sorted(maps.Keys(samples)) {
		l, err := costmodel.Fit(samples[m])
		if err != nil {
			warn("--fit: %s rows of mode %s: %v", op, m, err)
			continue
		}
		links[m] = l
		rep.Links = append(rep.Links, costmodel.NewLinkFit(m, from, l))
	}
	return links
}

// netOf is the links of mode base: within a host MODE-intra, else MODE;
// between hosts MODE-inter, needed only when the world spans hosts.
func netOf(links map[string]costmodel.Link, base string, nodes int) (costmodel.Net, string, bool) {
	intraName := base + suffixIntra
	intra, ok := links[intraName]
	if !ok {
		intraName = base
		intra, ok = links[base]
	}
	if nodes <= 1 {
		return costmodel.Net{Intra: intra, Inter: intra}, intraName, ok
	}
	inter, okInter := links[base+suffixInter]
	if !ok { // one rank per host: no link within a host is used
		intra, intraName = inter, base+suffixInter
	}
	return costmodel.Net{Intra: intra, Inter: inter}, intraName + "," + base + suffixInter, okInter
}

// writeFit writes rep to path (atomically) and a summary to log: every
// link, and per collective and mode the ratio of measured to modelled
// time.
func writeFit(path string, rep *costmodel.Report, log io.Writer) error {
	if len(rep.Collectives) == 0 && len(rep.Links) == 0 {
		return errors.New("--fit: no latency or collective rows to fit (see --ops)")
	}
	for _, l := range rep.Links {
		if l.From == costmodel.FromModel {
			fmt.Fprintf(log, "commbench: model %s: alpha %.2f us, beta %.1f MB/s\n", l.Mode, l.AlphaUsec, l.BetaMBps)
			continue
		}
		fmt.Fprintf(log, "commbench: fit %s %s: alpha %.2f us, beta %.1f MB/s (R² %.4f, worst residual %.0f%%, %d sizes)\n",
			l.Mode, l.From, l.AlphaUsec, l.BetaMBps, l.R2, 100*l.MaxRelErr, l.Sizes)
	}
	type key struct{ op, mode string }
	ratios := map[key][]float64{}
	var order []key
	for _, c := range rep.Collectives {
		if c.ModelUsec <= 0 {
			continue
		}
		k := key{c.Op, c.Mode}
		if _, seen := ratios[k]; !seen {
			order = append(order, k)
		}
		ratios[k] = append(ratios[k], c.Usec/c.ModelUsec)
	}
	for _, k := range order {
		r := slices.Sorted(slices.Values(ratios[k]))
		fmt.Fprintf(log, "commbench: %s %s: measured/model %.2fx median (%.2f-%.2fx over %d sizes)\n",
			k.op, k.mode, r[len(r)/2], r[0], r[len(r)-1], len(r))
	}
	return outfile.Write(path, rep.Write)
}
