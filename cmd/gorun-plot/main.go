package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gorun-dev/gorun/cmd/internal/costmodel"
	"github.com/gorun-dev/gorun/cmd/internal/costmodel/costplot"
	"github.com/gorun-dev/gorun/cmd/internal/outfile"
	"github.com/gorun-dev/gorun/launcher/monitor"
	"github.com/gorun-dev/gorun/launcher/monitor/plots"
	"github.com/spf13/pflag"
)

const usage = `usage: gorun-plot FILE...
       gorun-plot --commbench FIT.json [--link RATE]

Draws FILE.png and FILE.svg from FILE.csv and FILE.json, as gorun --monitor FILE
wrote them. With --commbench, draws FIT.png and FIT.svg from the report of
commbench --fit FIT.json: every collective's measured time against message size
with the alpha-beta model's prediction dashed; --link names the link speed in
the title (as scripts/cluster.sh link RATE set it).
`

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run is gorun-plot with its arguments and streams; it returns the exit
// status: 0, 1 when a figure could not be written, 2 on bad usage or input.
func run(args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("gorun-plot", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	fit := fs.String("commbench", "", "draw the report of commbench --fit FILE")
	link := fs.String("link", "", "with --commbench: the link speed for the title")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "gorun-plot: %v (see gorun-plot --help)\n", err)
		return 2
	}
	if *link != "" && *fit == "" {
		fmt.Fprint(stderr, "gorun-plot: --link goes with --commbench (see gorun-plot --help)\n")
		return 2
	}
	if *fit != "" {
		if code := drawFit(*fit, *link, stderr); code != 0 {
			return code
		}
		if fs.NArg() == 0 {
			return 0
		}
	}
	if fs.NArg() == 0 {
		fmt.Fprint(stderr, "gorun-plot: no file to draw (see gorun-plot --help)\n")
		return 2
	}
	for _, path := range fs.Args() {
		if code := draw(path, stderr); code != 0 {
			return code
		}
	}
	return 0
}

// draw writes the figures of the job monitored as path.
func draw(path string, stderr io.Writer) int {
	rep, err := monitor.ReadReport(path)
	var samples []monitor.Sample
	if err == nil {
		samples, err = monitor.ReadSamples(path)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gorun-plot: %v\n", err)
		return 2
	}
	_, _, pngPath, svgPath := monitor.Files(path)
	err = outfile.Write(pngPath, func(w io.Writer) error { return plots.PNG(w, rep, samples) })
	if err == nil {
		err = outfile.Write(svgPath, func(w io.Writer) error { return plots.SVG(w, rep, samples) })
	}
	if err != nil {
		fmt.Fprintf(stderr, "gorun-plot: %v\n", err)
		return 1
	}
	return 0
}

// drawFit writes the figures of the commbench --fit report at path.
func drawFit(path, link string, stderr io.Writer) int {
	rep, err := costmodel.ReadReport(path)
	if err != nil {
		fmt.Fprintf(stderr, "gorun-plot: --commbench %v\n", err)
		return 2
	}
	base := strings.TrimSuffix(path, ".json")
	o := costplot.Options{Link: link}
	err = outfile.Write(base+".png", func(w io.Writer) error { return costplot.PNG(w, rep, o) })
	if err == nil {
		err = outfile.Write(base+".svg", func(w io.Writer) error { return costplot.SVG(w, rep, o) })
	}
	if err != nil {
		fmt.Fprintf(stderr, "gorun-plot: %v\n", err)
		return 1
	}
	return 0
}
