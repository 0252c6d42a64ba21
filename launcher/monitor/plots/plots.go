package plots

import (
	"fmt"
	"image/color"
	"io"
	"sort"
	"strconv"

	"github.com/gorun-dev/gorun/launcher"
	"github.com/gorun-dev/gorun/launcher/monitor"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// PNG draws the figure of a monitored job to w as a PNG image.
func PNG(w io.Writer, rep *monitor.Report, samples []monitor.Sample) error {
	return draw1(rep, samples, func(width, height vg.Length, paint func(vg.CanvasSizer)) error {
		img := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(110))
		paint(img)
		_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
		return err
	})
}

// SVG draws the figure of a monitored job to w as an SVG document.
func SVG(w io.Writer, rep *monitor.Report, samples []monitor.Sample) error {
	return draw1(rep, samples, func(width, height vg.Length, paint func(vg.CanvasSizer)) error {
		svg := vgsvg.New(width, height)
		paint(svg)
		_, err := svg.WriteTo(w)
		return err
	})
}

// draw1 lays out CPU (top) and RSS (bottom) over time, one line per rank
// and a thick black total, and hands the painter to out.
func draw1(rep *monitor.Report, rows []monitor.Sample, out func(w, h vg.Length, paint func(vg.CanvasSizer)) error) error {
	series := map[string]plotter.XYs{}
	var names []string
	hostOf := map[string]string{} // a rank's host, for the legend of a job across hosts
	hosts := map[string]bool{}
	for _, r := range rows {
		if r.Rank != "total" {
			hostOf[r.Rank] = r.Host
			hosts[r.Host] = true
		}
		if _, ok := series[r.Rank]; !ok {
			names = append(names, r.Rank)
		}
		series[r.Rank] = append(series[r.Rank], plotter.XY{X: r.Time, Y: r.CPU})
	}
	legend := plot.NewLegend()
	legend.Top, legend.Left = true, true
	mem := map[string]plotter.XYs{}
	for _, r := range rows {
		mem[r.Rank] = append(mem[r.Rank], plotter.XY{X: r.Time, Y: float64(r.RSS) / (1 << 20)})
	}
	sort.SliceStable(names, func(i, j int) bool { return rankOrder(names[i]) < rankOrder(names[j]) })

	title := fmt.Sprintf("gorun --monitor: %d ranks, %s mode, %d CPUs", rep.Size, rep.Mode, rep.CPUs)
	cpu := newPlot(title, "time (s)", "CPU (% of one core)")
	memp := newPlot("", "time (s)", "resident memory (MiB)")
	for i, name := range names {
		if name == "-1" {
			continue // goroutine mode: the one process is the total
		}
		for _, pl := range []struct {
			p   *plot.Plot
			xys plotter.XYs
		}{{cpu, series[name]}, {memp, mem[name]}} {
			l, err := plotter.NewLine(pl.xys)
			if err != nil {
				return fmt.Errorf("monitor: plot: %w", err)
			}
			label := "rank " + name
			if len(hosts) > 1 {
				label += " on " + hostOf[name]
			}
			if name == "total" {
				label = "total"
				if rep.Mode == launcher.ModeGoroutines {
					label = "the process (all ranks)"
				}
				l.Color = color.Black
				l.Width = vg.Points(2.5)
			} else {
				l.Color = rankColor(i)
				l.Width = vg.Points(1.2)
			}
			pl.p.Add(l)
			if pl.p == cpu {
				legend.Add(label, l)
			}
		}
	}
	// The machine's capacity: 100% per usable CPU.
	if rep.CPUs > 0 && len(rows) > 0 {
		capLine, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: float64(100 * rep.CPUs)}, {X: rows[len(rows)-1].Time, Y: float64(100 * rep.CPUs)}})
		capLine.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		capLine.Color = color.Gray{Y: 90}
		cpu.Add(capLine)
		legend.Add(strconv.Itoa(rep.CPUs)+" CPUs = "+strconv.Itoa(100*rep.CPUs)+"%", capLine)
	}
	cpu.Y.Min = 0
	memp.Y.Min = 0
	w, h := 22*vg.Centimeter, 16*vg.Centimeter
	return out(w, h, gridPainter([][]*plot.Plot{{cpu}, {memp}}, &legend, w, h))
}

// rankOrder sorts ranks numerically with "total" last.
func rankOrder(name string) int {
	if name == "total" {
		return 1 << 30
	}
	n, _ := strconv.Atoi(name)
	return n
}

// newPlot is a plot with a grid.
func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Add(plotter.NewGrid())
	return p
}

// legendWidth is the strip on the right of a figure that holds its legend.
const legendWidth = 5.5 * vg.Centimeter

// gridPainter paints a grid of plots, and a legend in a strip on the
// right when legend is not nil, on a canvas of size w x h.
func gridPainter(grid [][]*plot.Plot, legend *plot.Legend, w, h vg.Length) func(vg.CanvasSizer) {
	return func(c vg.CanvasSizer) {
		dc := draw.New(c)
		if legend != nil {
			legend.Draw(draw.Crop(dc, w-legendWidth+vg.Points(6), 0, 0, -vg.Points(24)))
			dc = draw.Crop(dc, 0, -legendWidth, 0, 0)
		}
		t := draw.Tiles{Rows: len(grid), Cols: len(grid[0]),
			PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8),
			PadX: vg.Points(16), PadY: vg.Points(12)}
		cs := plot.Align(grid, t, dc)
		for i := range grid {
			for j := range grid[i] {
				if grid[i][j] != nil {
					grid[i][j].Draw(cs[i][j])
				}
			}
		}
	}
}

// tab10 is the Tableau 10 palette: ten colours told apart easily.
var tab10 = []color.RGBA{
	{31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255}, {214, 39, 40, 255}, {148, 103, 189, 255},
	{140, 86, 75, 255}, {227, 119, 194, 255}, {127, 127, 127, 255}, {188, 189, 34, 255}, {23, 190, 207, 255},
}

// rankColor is the colour of the i-th rank line.
func rankColor(i int) color.Color { return tab10[i%len(tab10)] }
