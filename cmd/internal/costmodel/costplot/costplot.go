package costplot

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gorun-dev/gorun/cmd/internal/costmodel"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Options of a figure.
type Options struct {
	Link string // the hosts' link speed (e.g. "1gbit"), for the title; "" when not shaped
}

// PNG draws the figure of rep to w as a PNG image.
func PNG(w io.Writer, rep *costmodel.Report, o Options) error {
	return render(rep, o, func(width, height vg.Length, paint func(vg.CanvasSizer)) error {
		img := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(110))
		paint(img)
		_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
		return err
	})
}

// SVG draws the figure of rep to w as an SVG document.
func SVG(w io.Writer, rep *costmodel.Report, o Options) error {
	return render(rep, o, func(width, height vg.Length, paint func(vg.CanvasSizer)) error {
		svg := vgsvg.New(width, height)
		paint(svg)
		_, err := svg.WriteTo(w)
		return err
	})
}

// palette gives the modes their colours in order of appearance.
var palette = []color.Color{
	color.RGBA{R: 31, G: 119, B: 180, A: 255}, color.RGBA{R: 230, G: 110, B: 0, A: 255},
	color.RGBA{R: 44, G: 160, B: 44, A: 255}, color.RGBA{R: 214, G: 39, B: 40, A: 255},
	color.RGBA{R: 148, G: 103, B: 189, A: 255}, color.RGBA{R: 140, G: 86, B: 75, A: 255},
}

// ops are the collectives drawn, in panel order (a barrier has no size).
var ops = []string{costmodel.Bcast, costmodel.Allreduce, costmodel.Alltoall}

func render(rep *costmodel.Report, o Options, out func(w, h vg.Length, paint func(vg.CanvasSizer)) error) error {
	var modes []string
	for _, c := range rep.Collectives {
		if !slices.Contains(modes, c.Mode) {
			modes = append(modes, c.Mode)
		}
	}
	var grid [][]*plot.Plot
	for _, op := range ops {
		p, err := panel(rep, op, modes)
		if err != nil {
			return err
		}
		if p != nil {
			grid = append(grid, []*plot.Plot{p})
		}
	}
	if len(grid) == 0 {
		return errors.New("costplot: no bcast, allreduce or alltoall rows to draw")
	}
	header := title(rep, o)
	w, h := 24*vg.Centimeter, vg.Length(len(grid))*9*vg.Centimeter+vg.Length(len(header))*0.6*vg.Centimeter
	return out(w, h, func(c vg.CanvasSizer) {
		dc := draw.New(c)
		sty := plot.New().Title.TextStyle
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
		y := dc.Max.Y - vg.Points(6)
		for i, line := range header {
			s := sty
			if i > 0 {
				s.Font.Size = vg.Points(9)
			}
			dc.FillText(s, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: y}, line)
			y -= s.Height(line) + vg.Points(2)
		}
		main := draw.Crop(dc, 0, 0, 0, y-dc.Max.Y-vg.Points(4))
		t := draw.Tiles{Rows: len(grid), Cols: 1, PadTop: vg.Points(4), PadBottom: vg.Points(4),
			PadLeft: vg.Points(4), PadRight: vg.Points(10), PadY: vg.Points(14)}
		cs := plot.Align(grid, t, main)
		for i := range grid {
			grid[i][0].Draw(cs[i][0])
		}
	})
}

// title is the figure's header: the world, the link, and every fitted link.
func title(rep *costmodel.Report, o Options) []string {
	where := "one host"
	if rep.Nodes > 1 {
		where = strconv.Itoa(rep.Nodes) + " hosts"
	}
	first := fmt.Sprintf("commbench: collectives on %d ranks, %s, against the alpha-beta model", rep.Ranks, where)
	if o.Link != "" {
		first += ", links shaped to " + o.Link
	}
	lines := []string{first, "solid: measured; dashed: model, the sum over the algorithm's steps of alpha + m/beta",
		"alpha from ping-pong (latency), beta the lower of ping-pong's and streaming's (bandwidth)"}
	for _, l := range rep.Links {
		if l.From != costmodel.FromModel {
			lines = append(lines, fmt.Sprintf("%s %s fit: alpha %.3g us, beta %.4g MB/s (R² %.3f, %d sizes)", l.Mode, l.From, l.AlphaUsec, l.BetaMBps, l.R2, l.Sizes))
		}
	}
	return lines
}

// panel is the time-against-size plot of op, or nil when no row has op.
func panel(rep *costmodel.Report, op string, modes []string) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s (%d ranks)", op, rep.Ranks)
	p.X.Label.Text, p.Y.Label.Text = "bytes", "time per call (us)"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = pow2Ticks{}, decadeTicks{}
	p.Add(plotter.NewGrid())
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.TextStyle.Font.Size = vg.Points(8)
	drawn := false
	for i, mode := range modes {
		var meas, model plotter.XYs
		var algos []string
		links := ""
		for _, c := range rep.Collectives {
			if c.Op != op || c.Mode != mode || c.Bytes < 1 || c.Usec <= 0 {
				continue
			}
			meas = append(meas, plotter.XY{X: float64(c.Bytes), Y: c.Usec})
			if c.ModelUsec > 0 {
				model = append(model, plotter.XY{X: float64(c.Bytes), Y: c.ModelUsec})
				if !slices.Contains(algos, c.Algorithm) {
					algos = append(algos, c.Algorithm)
				}
				links = c.Links
			}
		}
		if len(meas) == 0 {
			continue
		}
		drawn = true
		col := palette[i%len(palette)]
		l, s, err := plotter.NewLinePoints(meas)
		if err != nil {
			return nil, fmt.Errorf("costplot: %s %s: %w", op, mode, err)
		}
		l.Color, l.Width, s.Color, s.Radius = col, vg.Points(1.5), col, vg.Points(2.5)
		p.Add(l, s)
		p.Legend.Add(mode+" measured", l, s)
		if len(model) == 0 {
			continue
		}
		ml, err := plotter.NewLine(model)
		if err != nil {
			return nil, fmt.Errorf("costplot: %s %s model: %w", op, mode, err)
		}
		ml.Color, ml.Width, ml.Dashes = col, vg.Points(1.5), []vg.Length{vg.Points(5), vg.Points(3)}
		p.Add(ml)
		p.Legend.Add(fmt.Sprintf("%s model: %s; %s", mode, strings.Join(algos, ", then "), params(rep, links)), ml)
	}
	if !drawn {
		return nil, nil
	}
	p.Y.Max *= 8 // headroom for the legend, top left, above the lines
	return p, nil
}

// params is "alpha A us, beta B MB/s" of the model links named in links
// (comma-separated: within a host, then between hosts).
func params(rep *costmodel.Report, links string) string {
	var as, bs []string
	for _, name := range strings.Split(links, ",") {
		for _, l := range rep.Links {
			if l.Mode == name && l.From == costmodel.FromModel {
				as, bs = append(as, strconv.FormatFloat(l.AlphaUsec, 'g', 3, 64)), append(bs, strconv.FormatFloat(l.BetaMBps, 'g', 4, 64))
			}
		}
	}
	s := fmt.Sprintf("alpha %s us, beta %s MB/s", strings.Join(as, " | "), strings.Join(bs, " | "))
	if len(as) > 1 {
		s += " (host | between hosts)"
	}
	return s
}

// pow2Ticks labels sizes at powers of four (1, 4, 16, ... 1K, 4K ...).
type pow2Ticks struct{}

func (pow2Ticks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for e := 0; e <= 40; e += 2 {
		v := math.Exp2(float64(e))
		if v < lo/1.01 || v > hi*1.01 {
			continue
		}
		ts = append(ts, plot.Tick{Value: v, Label: sizeLabel(e)})
	}
	return ts
}

func sizeLabel(e int) string {
	switch {
	case e >= 30:
		return strconv.Itoa(1<<(e-30)) + "G"
	case e >= 20:
		return strconv.Itoa(1<<(e-20)) + "M"
	case e >= 10:
		return strconv.Itoa(1<<(e-10)) + "K"
	}
	return strconv.Itoa(1 << e)
}

// decadeTicks labels times at powers of ten, as plain numbers.
type decadeTicks struct{}

func (decadeTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		v := math.Pow(10, e)
		if v >= lo/1.01 && v <= hi*1.01 {
			ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
		}
	}
	if len(ts) < 2 { // less than a decade: label the ends too
		ts = append(ts, plot.Tick{Value: lo, Label: strconv.FormatFloat(lo, 'g', 3, 64)}, plot.Tick{Value: hi, Label: strconv.FormatFloat(hi, 'g', 3, 64)})
	}
	return ts
}
