package main

import (
	"context"
	"os"

	"github.com/gorun-dev/gorun/cmd/internal/cli"
	"github.com/gorun-dev/gorun/comm"
	"github.com/spf13/pflag"
)

func main() {
	cfg := config{Stdout: os.Stdout, Stderr: os.Stderr}
	fs := pflag.NewFlagSet("sjoin", pflag.ContinueOnError)
	fs.StringVar(&cfg.Polygons, "polygons", "", "GeoJSON FeatureCollection of (Multi)Polygons in lon/lat (required)")
	fs.StringVar(&cfg.Points, "points", "", "CSV of points with latitude/longitude columns (required)")
	fs.StringVar(&cfg.ID, "id", "GEOID", "polygon property naming each polygon")
	fs.StringVar(&cfg.PointID, "point-id", "", "point id column (default: the first column)")
	fs.StringVar(&cfg.Lat, "lat", "", "latitude column (default: latitude, lat or y)")
	fs.StringVar(&cfg.Lon, "lon", "", "longitude column (default: longitude, lon, lng, long or x)")
	fs.StringVar(&cfg.Filter, "filter", "", "keep polygons whose property matches, e.g. COUNTYFP=031")
	fs.StringVar(&cfg.PointFilter, "point-filter", "", "keep points whose column matches, e.g. state=IL")
	fs.StringVar(&cfg.Load, "load", "root", "root (rank 0 decodes the polygons and broadcasts) or all (every rank decodes)")
	fs.StringVar(&cfg.Out, "out", "", "write the CSV to this file (default stdout)")
	fs.BoolVarP(&cfg.Verbose, "verbose", "v", false, "print phase timings to stderr")
	cli.ParseOrExit(fs, "sjoin --polygons F.geojson --points F.csv [flags]", func() error {
		return cfg.validate()
	})
	comm.Main(func(ctx context.Context, c *comm.Comm) error { return run(ctx, c, cfg) })
}
