package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/gorun-dev/gorun/cmd/internal/outfile"
	"github.com/gorun-dev/gorun/launcher/monitor"
	"github.com/gorun-dev/gorun/launcher/monitor/plots"
	"github.com/spf13/pflag"
)

const usage = `usage: gorun-plot FILE...

Draws FILE.png and FILE.svg from FILE.csv and FILE.json, as gorun --monitor FILE
wrote them.
`

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run is gorun-plot with its arguments and streams; it returns the exit
// status: 0, 1 when a figure could not be written, 2 on bad usage or input.
func run(args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("gorun-plot", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "gorun-plot: %v (see gorun-plot --help)\n", err)
		return 2
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
