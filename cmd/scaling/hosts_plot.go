package main

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// plotHosts draws one workload's multi-host sweep: time, speedup against
// one host, peak memory, and the bytes moved within and between hosts,
// with hosts on x and one line per mode and ranks per host.
func plotHosts(cfg *config, hc *hostsConfig, name string, all []hostsSummary, base string) error {
	var rows []hostsSummary
	for _, r := range all {
		if r.Workload == name {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	n := len(hc.Hosts)
	timeP := hostsPanel("wall time (median, bars: min-max)", "seconds", n)
	speedP := hostsPanel("speedup against one host T(1 host)/T(h hosts)", "speedup", n)
	memDiv, memUnit := byteUnit(rows, func(r hostsSummary) float64 { return r.PeakRSS })
	memP := hostsPanel("peak memory, sum over rank processes (median)", memUnit, n)
	byteDiv, byteUnit := byteUnit(rows, func(r hostsSummary) float64 { return math.Max(r.Within, r.Between) })
	bytesP := hostsPanel("payload bytes sent: within hosts (solid), between hosts (dashed)", byteUnit, n)
	fig := &figure{legend: plot.NewLegend()}
	dashed := []vg.Length{vg.Points(4), vg.Points(3)}
	for _, m := range cfg.Modes {
		for ki, k := range hc.RanksPerHost {
			sel := func(f func(hostsSummary) float64) plotter.XYs {
				var xys plotter.XYs
				for _, r := range rows {
					if r.Mode == m && r.PerHost == k {
						xys = append(xys, plotter.XY{X: float64(r.Hosts), Y: f(r)})
					}
				}
				return xys
			}
			width := vg.Points(1 + float64(ki))
			t := sel(func(r hostsSummary) float64 { return r.Time.Median })
			lo := sel(func(r hostsSummary) float64 { return r.Time.Median - r.Time.Min })
			hi := sel(func(r hostsSummary) float64 { return r.Time.Max - r.Time.Median })
			l, s, err := addSeries(timeP, m, t, ys(lo), ys(hi))
			if err != nil {
				return err
			}
			if l == nil {
				continue
			}
			l.Width = width
			fig.legend.Add(fmt.Sprintf("%s, %d/host", m, k), l, s)
			for _, pf := range []struct {
				p *plot.Plot
				f func(hostsSummary) float64
			}{
				{speedP, func(r hostsSummary) float64 { return r.Speedup }},
				{memP, func(r hostsSummary) float64 { return r.PeakRSS / memDiv }},
				{bytesP, func(r hostsSummary) float64 { return r.Within / byteDiv }},
			} {
				l, _, err := addSeries(pf.p, m, sel(pf.f), nil, nil)
				if err != nil {
					return err
				}
				if l != nil {
					l.Width = width
				}
			}
			l, _, err = addSeries(bytesP, m, sel(func(r hostsSummary) float64 { return r.Between / byteDiv }), nil, nil)
			if err != nil {
				return err
			}
			if l != nil {
				l.Width, l.Dashes = width, dashed
			}
		}
	}
	ideal, _ := plotter.NewLine(plotter.XYs{{X: 1, Y: 1}, {X: float64(n), Y: float64(n)}})
	ideal.Color, ideal.Width, ideal.Dashes = idealColor, vg.Points(1), dashed
	speedP.Add(ideal)
	fig.legend.Add("ideal", ideal)
	for _, p := range []*plot.Plot{timeP, speedP, memP, bytesP} {
		p.Y.Min = math.Min(p.Y.Min, 0)
	}
	link := hc.Link
	if link == "" {
		link = "not given"
	}
	fig.header = []string{name + ": across hosts", "link between hosts: " + link,
		fmt.Sprintf("%d cores on this machine, %d repeats per point", cfg.Cores, rows[0].Reps),
		"x axis: hosts (first h of the hostfile)", "line width: ranks per host",
		"processes: one process per rank", "hybrid: one process per host"}
	fig.grid = [][]*plot.Plot{{timeP, speedP}, {memP, bytesP}}
	return fig.save(base, 30*vg.Centimeter, 20*vg.Centimeter)
}

// hostsPanel is a titled panel with a grid over a hosts axis 1..n.
func hostsPanel(title, ylabel string, n int) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.Y.Label.Text = ylabel
	p.X.Label.Text = "hosts"
	var ticks plot.ConstantTicks
	for h := 1; h <= n; h++ {
		ticks = append(ticks, plot.Tick{Value: float64(h), Label: strconv.Itoa(h)})
	}
	p.X.Tick.Marker = ticks
	p.X.Min, p.X.Max = 0.8, float64(n)+0.2
	p.Add(plotter.NewGrid())
	return p
}
