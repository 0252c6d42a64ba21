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
	fs := pflag.NewFlagSet("tracts", pflag.ContinueOnError)
	fs.StringVar(&cfg.Tracts, "tracts", "", "GeoJSON FeatureCollection of (Multi)Polygons in lon/lat, or synth:N[:SEED] (required)")
	fs.StringVar(&cfg.Points, "points", "", "CSV of facility points with latitude/longitude columns, or synth:N[:SEED] (required)")
	fs.IntVar(&cfg.K, "k", 3, "distance to the k-th nearest facility, duplicates counting")
	fs.IntVar(&cfg.Dup, "dup", 1, "repeat the facilities D times (the lecture used 100)")
	fs.StringVar(&cfg.Method, "method", "index", "index (KD-tree, best-first) or brute (every distance, then select)")
	fs.StringVar(&cfg.Schedule, "schedule", "static", "static (equal slices per rank) or dynamic (chunks to whichever rank is free)")
	fs.IntVar(&cfg.Chunk, "chunk", 0, "polygons per dynamic chunk (0: about 16 chunks per rank)")
	fs.StringVar(&cfg.CRS, "crs", "auto", "auto (UTM zone of the tracts' centre) or EPSG:326ZZ, 327ZZ, 269ZZ")
	fs.StringVar(&cfg.ID, "id", "GEOID", "polygon property naming each tract")
	fs.StringVar(&cfg.Filter, "filter", "", "keep tracts whose property matches, e.g. COUNTYFP=031")
	fs.StringVar(&cfg.PointFilter, "point-filter", "", "keep points whose column matches, e.g. state=IL or state=DC,MD,VA")
	fs.StringVar(&cfg.Lat, "lat", "", "latitude column (default: latitude, lat or y)")
	fs.StringVar(&cfg.Lon, "lon", "", "longitude column (default: longitude, lon, lng, long or x)")
	fs.StringVar(&cfg.Load, "load", "root", "root (rank 0 reads and broadcasts) or all (every rank reads); goroutine ranks share one copy")
	fs.StringVar(&cfg.Out, "out", "", "write the CSV to this file (default stdout)")
	fs.BoolVarP(&cfg.Verbose, "verbose", "v", false, "print phase timings to stderr")
	cli.ParseOrExit(fs, "tracts --tracts F.geojson --points F.csv [flags]", func() error {
		return cfg.validate()
	})
	comm.Main(func(ctx context.Context, c *comm.Comm) error { return run(ctx, c, cfg) })
}
