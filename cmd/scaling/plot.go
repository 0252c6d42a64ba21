package main

import (
	"fmt"
	"math"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// plotAll writes one figure per workload and scaling, DIR/W_S.png and
// .svg, and returns their base paths.
func plotAll(cfg *config, rows []summary) ([]string, error) {
	var out []string
	for _, w := range cfg.Workloads {
		for _, s := range cfg.Scalings {
			var sel []summary
			for _, r := range rows {
				if r.Workload == w.Name && r.Scaling == s {
					sel = append(sel, r)
				}
			}
			if len(sel) == 0 {
				continue
			}
			base := filepath.Join(cfg.Out, w.Name+"_"+s)
			if err := plotOne(cfg, w.Name, s, sel, base); err != nil {
				return nil, fmt.Errorf("plotting %s: %w", base, err)
			}
			out = append(out, base)
		}
	}
	return out, nil
}

// column extracts one figure per row of one mode, in rank order.
func column(rows []summary, mode string, f func(summary) float64) plotter.XYs {
	var xys plotter.XYs
	for _, r := range rows {
		if r.Mode == mode {
			xys = append(xys, plotter.XY{X: float64(r.Ranks), Y: f(r)})
		}
	}
	return xys
}

// plotOne draws the panels of one workload and scaling: time, speedup,
// efficiency, (strong:) Karp–Flatt serial fraction and Amdahl fit, CPU
// time, peak memory and bus bytes, every mode on every panel.
func plotOne(cfg *config, name, scaling string, rows []summary, base string) error {
	ranks, cores := cfg.Ranks, cfg.Cores
	strong := scaling == "strong"
	timeP := newPanel("wall time (median, bars: min-max)", "seconds", ranks, cores)
	speedTitle, speedY := "speedup T1/Tn (log scale)", "speedup"
	if !strong {
		speedTitle, speedY = "scaled speedup n*T1/Tn (log scale)", "scaled speedup"
	}
	speedP := newPanel(speedTitle, speedY, ranks, cores)
	effP := newPanel("parallel efficiency speedup/n", "efficiency", ranks, cores)
	kfP := newPanel("Karp-Flatt serial fraction", "serial fraction e", ranks, cores)
	amP := newPanel("Amdahl's law fitted over n <= cores", "speedup", ranks, cores)
	cpuP := newPanel("CPU time, all processes (median)", "CPU seconds", ranks, cores)
	memDiv, memUnit := byteUnit(rows, func(r summary) float64 { return r.PeakRSS })
	busDiv, busUnit := byteUnit(rows, func(r summary) float64 { return r.BusIn })
	memP := newPanel("peak memory, sum over ranks (median)", memUnit, ranks, cores)
	busP := newPanel("bytes over the bus (launcher read, median)", busUnit, ranks, cores)

	ideal := idealLine(ranks, func(n float64) float64 { return n })
	speedP.Add(ideal)
	amP.Add(idealLine(ranks, func(n float64) float64 { return n }))
	effP.Add(idealLine(ranks, func(float64) float64 { return 1 }))

	fig := &figure{legend: plot.NewLegend()}
	for _, m := range cfg.Modes {
		t := column(rows, m, func(r summary) float64 { return r.Time.Median })
		lo := column(rows, m, func(r summary) float64 { return r.Time.Median - r.Time.Min })
		hi := column(rows, m, func(r summary) float64 { return r.Time.Max - r.Time.Median })
		l, s, err := addSeries(timeP, m, t, ys(lo), ys(hi))
		if err != nil {
			return err
		}
		if l != nil {
			fig.legend.Add(modeLabel[m], l, s)
		}
		sp := column(rows, m, func(r summary) float64 { return r.Speedup })
		slo := column(rows, m, func(r summary) float64 { return r.Speedup - r.SpeedupLo })
		shi := column(rows, m, func(r summary) float64 { return r.SpeedupHi - r.Speedup })
		if _, _, err := addSeries(speedP, m, sp, ys(slo), ys(shi)); err != nil {
			return err
		}
		panels := []struct {
			p *plot.Plot
			f func(summary) float64
		}{
			{effP, func(r summary) float64 { return r.Efficiency }},
			{kfP, func(r summary) float64 { return r.KarpFlatt }},
			{cpuP, func(r summary) float64 { return r.CPUSec }},
			{memP, func(r summary) float64 { return r.PeakRSS / memDiv }},
			{busP, func(r summary) float64 { return r.BusIn / busDiv }},
		}
		for _, pf := range panels {
			if _, _, err := addSeries(pf.p, m, column(rows, m, pf.f), nil, nil); err != nil {
				return err
			}
		}
		if strong {
			if err := addAmdahl(amP, fig, m, sp, rows); err != nil {
				return err
			}
		}
	}
	fig.legend.Add("ideal", ideal)
	fig.legend.Add(fmt.Sprintf("oversubscribed (> %d cores)", cores), shadeThumb{})
	for _, p := range []*plot.Plot{timeP, effP, kfP, cpuP, memP, busP} {
		p.Y.Min = math.Min(p.Y.Min, 0)
	}
	effP.Y.Max = math.Max(effP.Y.Max, 1.1)
	log2Y(speedP)
	log2Y(amP)
	reps := rows[0].Repeats
	fig.header = []string{name + ": " + scaling + " scaling",
		fmt.Sprintf("%d cores, %d repeats per point", cores, reps),
		"x axis: ranks (log scale)"}
	if strong {
		fig.header = append(fig.header, "problem fixed at {n}="+fmt.Sprint(cfg.StrongFactor))
		fig.grid = [][]*plot.Plot{{timeP, speedP}, {effP, kfP}, {amP, cpuP}, {memP, busP}}
		return fig.save(base, 30*vg.Centimeter, 36*vg.Centimeter)
	}
	fig.header = append(fig.header, "problem grows with n: {n}=ranks")
	fig.grid = [][]*plot.Plot{{timeP, speedP}, {effP, cpuP}, {memP, busP}}
	return fig.save(base, 30*vg.Centimeter, 28*vg.Centimeter)
}

// addAmdahl draws the measured speedup and the fitted Amdahl curve of one
// mode.
func addAmdahl(p *plot.Plot, fig *figure, mode string, speedup plotter.XYs, rows []summary) error {
	f := math.NaN()
	for _, r := range rows {
		if r.Mode == mode {
			f = r.Amdahl
		}
	}
	pts := finite(speedup)
	if len(pts) > 0 {
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		s.Color, s.Shape, s.Radius = modeColor[mode], modeShape[mode], vg.Points(3)
		p.Add(s)
	}
	if math.IsNaN(f) {
		return nil
	}
	curve := idealLine(cfgRanks(rows), func(n float64) float64 { return amdahlSpeedup(f, n) })
	curve.Color = modeColor[mode]
	curve.Width = vg.Points(1.5)
	p.Add(curve)
	fig.legend.Add(fmt.Sprintf("Amdahl fit, %s: f=%.3f", mode, f), curve)
	return nil
}

// cfgRanks is the rank counts present in rows.
func cfgRanks(rows []summary) []int {
	var out []int
	seen := map[int]bool{}
	for _, r := range rows {
		if !seen[r.Ranks] {
			seen[r.Ranks] = true
			out = append(out, r.Ranks)
		}
	}
	return out
}

// ys is the y values of xys.
func ys(xys plotter.XYs) []float64 {
	out := make([]float64, len(xys))
	for i, p := range xys {
		out[i] = p.Y
	}
	return out
}

// byteUnit picks KiB, MiB or GiB for the largest of f over rows.
func byteUnit[T any](rows []T, f func(T) float64) (float64, string) {
	var m float64
	for _, r := range rows {
		m = math.Max(m, f(r))
	}
	switch {
	case m >= 4<<30:
		return 1 << 30, "GiB"
	case m >= 4<<20:
		return 1 << 20, "MiB"
	}
	return 1 << 10, "KiB"
}
