package main

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"

	"github.com/gorun-dev/gorun/kernels/geo"
	"github.com/spf13/pflag"

	"github.com/gorun-dev/gorun/cmd/internal/outfile"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// config is one synth run.
type config struct {
	Polygons, Points int
	Seed             uint64
	Region           geo.Bounds
	Scatter          bool
	Out              string // prefix: Out.geojson and Out.csv
}

// defaultRegion is roughly Illinois, lon/lat degrees.
var defaultRegion = geo.Bounds{MinX: -91.5, MinY: 37.0, MaxX: -87.5, MaxY: 42.5}

// run is synth with its arguments and streams; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	cfg := config{Polygons: 1000, Points: 10000, Seed: 1, Region: defaultRegion}
	fs := pflag.NewFlagSet("synth", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&cfg.Polygons, "polygons", cfg.Polygons, "number of polygons")
	fs.IntVar(&cfg.Points, "points", cfg.Points, "number of points")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed: the same seed and sizes give the same files")
	region := fs.String("region", formatBounds(defaultRegion), "lon/lat box MINLON,MINLAT,MAXLON,MAXLAT")
	fs.BoolVar(&cfg.Scatter, "scatter", false, "leave grid cells empty at random instead of tiling the region")
	fs.StringVar(&cfg.Out, "out", "", "output prefix: writes PREFIX.geojson and PREFIX.csv (required)")
	fs.SortFlags = false
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: synth --out PREFIX [--polygons N] [--points N] [--seed S] [--region BOX] [--scatter]\n\nFlags:\n%s", fs.FlagUsages())
			return 0
		}
		fmt.Fprintf(stderr, "synth: %v (see synth --help)\n", err)
		return 2
	}
	var err error
	if cfg.Region, err = parseBounds(*region); err == nil {
		err = cfg.validate(fs.NArg())
	}
	if err != nil {
		fmt.Fprintf(stderr, "synth: %v\n", err)
		return 2
	}
	if err := generate(cfg); err != nil {
		fmt.Fprintf(stderr, "synth: %v\n", err)
		return 1
	}
	return 0
}

func (cfg config) validate(nargs int) error {
	switch {
	case nargs > 0:
		return errors.New("unexpected arguments (see --help)")
	case cfg.Out == "":
		return errors.New("--out PREFIX is required")
	case cfg.Polygons < 1:
		return fmt.Errorf("--polygons %d: must be 1 or more", cfg.Polygons)
	case cfg.Points < 0:
		return fmt.Errorf("--points %d: must be 0 or more", cfg.Points)
	}
	return nil
}

// generate writes Out.geojson and Out.csv. Polygons and points draw from
// two streams of the seed, so changing one count leaves the other file
// unchanged.
func generate(cfg config) error {
	polys := geo.SynthPolygons(rand.New(rand.NewPCG(cfg.Seed, 1)), cfg.Polygons, cfg.Region, cfg.Scatter)
	pts := geo.SynthPoints(rand.New(rand.NewPCG(cfg.Seed, 2)), cfg.Points, cfg.Region)
	if err := outfile.Write(cfg.Out+".geojson", func(w io.Writer) error { return writeGeoJSON(w, polys) }); err != nil {
		return err
	}
	return outfile.Write(cfg.Out+".csv", func(w io.Writer) error { return writePointsCSV(w, pts) })
}

// parseBounds reads "MINLON,MINLAT,MAXLON,MAXLAT".
func parseBounds(s string) (geo.Bounds, error) {
	f := strings.Split(s, ",")
	if len(f) != 4 {
		return geo.Bounds{}, fmt.Errorf("--region %q: want MINLON,MINLAT,MAXLON,MAXLAT", s)
	}
	var v [4]float64
	for i, x := range f {
		var err error
		if v[i], err = strconv.ParseFloat(strings.TrimSpace(x), 64); err != nil {
			return geo.Bounds{}, fmt.Errorf("--region %q: value %d: not a number", s, i+1)
		}
	}
	b := geo.Bounds{MinX: v[0], MinY: v[1], MaxX: v[2], MaxY: v[3]}
	if !(b.MinX < b.MaxX && b.MinY < b.MaxY) || b.MinX < -180 || b.MaxX > 180 || b.MinY < -90 || b.MaxY > 90 {
		return geo.Bounds{}, fmt.Errorf("--region %q: want -180 <= MINLON < MAXLON <= 180 and -90 <= MINLAT < MAXLAT <= 90", s)
	}
	return b, nil
}

func formatBounds(b geo.Bounds) string {
	return fmt.Sprintf("%g,%g,%g,%g", b.MinX, b.MinY, b.MaxX, b.MaxY)
}
