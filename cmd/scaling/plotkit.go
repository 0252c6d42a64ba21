package main

import (
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/gorun-dev/gorun/cmd/internal/outfile"
)

// Colours and markers of the two modes, the same on every plot.
var (
	modeColor = map[string]color.Color{
		"processes":  color.RGBA{R: 31, G: 119, B: 180, A: 255}, // blue
		"goroutines": color.RGBA{R: 230, G: 110, B: 0, A: 255},  // orange
		"hybrid":     color.RGBA{R: 44, G: 160, B: 44, A: 255},  // green
	}
	modeShape = map[string]draw.GlyphDrawer{
		"processes":  draw.CircleGlyph{},
		"goroutines": draw.TriangleGlyph{},
		"hybrid":     draw.SquareGlyph{},
	}
	modeLabel = map[string]string{
		"processes":  "processes (NATS bus)",
		"goroutines": "goroutines (shared memory)",
		"hybrid":     "hybrid (goroutines per host, NATS between)",
	}
	idealColor = color.Gray{Y: 60}
	shadeColor = color.RGBA{R: 250, G: 224, B: 224, A: 255}
	coreColor  = color.RGBA{R: 170, G: 30, B: 30, A: 255}
)

// coreMarker shades the rank counts beyond the machine's cores and draws
// a dashed line at the core count. It sets no data range.
type coreMarker struct {
	cores int
	label bool // write "N cores" and "oversubscribed" on the panel
}

func (m coreMarker) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	xc := float64(m.cores)
	if xc < p.X.Min || xc > p.X.Max {
		return
	}
	x0 := trX(xc)
	if xc < p.X.Max {
		c.FillPolygon(shadeColor, []vg.Point{{X: x0, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
	}
	c.StrokeLine2(draw.LineStyle{Color: coreColor, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}, x0, c.Min.Y, x0, c.Max.Y)
	if m.label {
		sty := p.X.Tick.Label
		sty.Color = coreColor
		sty.Font.Size = vg.Points(8)
		sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
		c.FillText(sty, vg.Point{X: x0 + vg.Points(3), Y: c.Max.Y - vg.Points(2)}, strconv.Itoa(m.cores)+" cores")
		if xc < p.X.Max {
			c.FillText(sty, vg.Point{X: x0 + vg.Points(3), Y: c.Max.Y - vg.Points(12)}, "oversubscribed")
		}
	}
}

// shadeThumb is the legend's sample of the oversubscribed region.
type shadeThumb struct{}

func (shadeThumb) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(shadeColor, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}

// rankAxis makes x a log2 axis with a tick at every rank count, the core
// count shaded beyond.
func rankAxis(p *plot.Plot, ranks []int, cores int) {
	p.X.Label.Text = "ranks"
	p.X.Scale = plot.LogScale{}
	var ticks plot.ConstantTicks
	for _, n := range ranks {
		ticks = append(ticks, plot.Tick{Value: float64(n), Label: strconv.Itoa(n)})
	}
	p.X.Tick.Marker = ticks
	p.X.Min = float64(ranks[0]) / 1.15
	p.X.Max = float64(ranks[len(ranks)-1]) * 1.15
	p.Add(coreMarker{cores: cores, label: true})
}

// log2Y makes y a log scale with ticks at powers of two; call it after
// the data are added, so the ticks cover them.
func log2Y(p *plot.Plot) {
	p.Y.Scale = plot.LogScale{}
	lo := math.Exp2(math.Floor(math.Log2(math.Max(p.Y.Min, 1.0/64))))
	hi := math.Exp2(math.Ceil(math.Log2(math.Max(p.Y.Max, 1))))
	p.Y.Min, p.Y.Max = lo, hi
	var ticks plot.ConstantTicks
	for v := lo; v <= hi; v *= 2 {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', 3, 64)})
	}
	p.Y.Tick.Marker = ticks
}

// newPanel is a titled panel with a grid over a rank axis.
func newPanel(title, ylabel string, ranks []int, cores int) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.Y.Label.Text = ylabel
	rankAxis(p, ranks, cores)
	p.Add(plotter.NewGrid())
	return p
}

// errXYs is points with asymmetric y error bars (offsets below and above).
type errXYs struct {
	plotter.XYs
	lo, hi []float64
}

func (e errXYs) YError(i int) (float64, float64) { return e.lo[i], e.hi[i] }

// finite drops points with a NaN or infinite coordinate.
func finite(xys plotter.XYs) plotter.XYs {
	var out plotter.XYs
	for _, p := range xys {
		if !math.IsNaN(p.Y) && !math.IsInf(p.Y, 0) && !math.IsNaN(p.X) {
			out = append(out, p)
		}
	}
	return out
}

// addSeries draws one mode's line with points, and error bars when given.
func addSeries(p *plot.Plot, mode string, xys plotter.XYs, lo, hi []float64) (*plotter.Line, *plotter.Scatter, error) {
	keep := make([]bool, len(xys))
	var pts plotter.XYs
	var elo, ehi []float64
	for i, q := range xys {
		keep[i] = !math.IsNaN(q.Y) && !math.IsInf(q.Y, 0)
		if keep[i] {
			pts = append(pts, q)
			if lo != nil {
				elo, ehi = append(elo, lo[i]), append(ehi, hi[i])
			}
		}
	}
	if len(pts) == 0 {
		return nil, nil, nil
	}
	l, s, err := plotter.NewLinePoints(pts)
	if err != nil {
		return nil, nil, err
	}
	l.Color, l.Width = modeColor[mode], vg.Points(1.5)
	s.Color, s.Shape, s.Radius = modeColor[mode], modeShape[mode], vg.Points(3)
	p.Add(l, s)
	if lo != nil {
		eb, err := plotter.NewYErrorBars(errXYs{pts, elo, ehi})
		if err != nil {
			return nil, nil, err
		}
		eb.Color, eb.Width = modeColor[mode], vg.Points(1)
		p.Add(eb)
	}
	return l, s, nil
}

// idealLine is a dashed grey line through f(n) for n from ranks[0] to the
// last rank count.
func idealLine(ranks []int, f func(n float64) float64) *plotter.Line {
	var xys plotter.XYs
	lo, hi := float64(ranks[0]), float64(ranks[len(ranks)-1])
	for i := 0; i <= 64; i++ {
		n := lo * math.Pow(hi/lo, float64(i)/64)
		xys = append(xys, plotter.XY{X: n, Y: f(n)})
	}
	l, _ := plotter.NewLine(xys)
	l.Color, l.Width = idealColor, vg.Points(1)
	l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	return l
}

// figure is a grid of panels with a legend and header lines on the right.
type figure struct {
	grid   [][]*plot.Plot
	legend plot.Legend
	header []string
}

const legendWidth = 7 * vg.Centimeter

// save writes the figure as PATH.png and PATH.svg.
func (f *figure) save(base string, w, h vg.Length) error {
	drawTo := func(c vg.CanvasSizer) {
		dc := draw.New(c)
		side := draw.Crop(dc, w-legendWidth+vg.Points(8), 0, 0, -vg.Points(10))
		sty := f.legend.TextStyle
		sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
		y := side.Max.Y
		for i, line := range f.header {
			s := sty
			if i == 0 {
				s.Font.Size = vg.Points(13)
			}
			side.FillText(s, vg.Point{X: side.Min.X, Y: y}, line)
			y -= s.Height(line) + vg.Points(3)
		}
		f.legend.Top, f.legend.Left = true, true
		f.legend.Draw(draw.Crop(side, 0, 0, 0, y-side.Max.Y-vg.Points(10)))
		main := draw.Crop(dc, 0, -legendWidth, 0, 0)
		t := draw.Tiles{Rows: len(f.grid), Cols: len(f.grid[0]), PadTop: vg.Points(6), PadBottom: vg.Points(4),
			PadLeft: vg.Points(4), PadRight: vg.Points(6), PadX: vg.Points(20), PadY: vg.Points(16)}
		cs := plot.Align(f.grid, t, main)
		for i := range f.grid {
			for j := range f.grid[i] {
				f.grid[i][j].Draw(cs[i][j])
			}
		}
	}
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(100))
	drawTo(img)
	if err := outfile.Write(base+".png", func(wr io.Writer) error {
		_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(wr)
		return err
	}); err != nil {
		return err
	}
	svg := vgsvg.New(w, h)
	drawTo(svg)
	return outfile.Write(base+".svg", func(wr io.Writer) error {
		_, err := svg.WriteTo(wr)
		return err
	})
}
