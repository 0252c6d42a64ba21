package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/gorun-dev/gorun/cmd/internal/outfile"
	"github.com/gorun-dev/gorun/kernels/geo"
)

// config is one sjoin job.
type config struct {
	Polygons, Points string // input files
	ID               string // polygon id property (output column 2)
	PointID          string // point id column ("" = the first column)
	Lat, Lon         string // point columns ("" = found by name)
	Filter           string // polygon property filter KEY=VAL[,VAL]
	PointFilter      string // point column filter KEY=VAL[,VAL]
	Load             string // "root" or "all"
	Out              string // output file; "" or "-" = Stdout
	Verbose          bool
	Stdout, Stderr   io.Writer

	// separate makes goroutine ranks behave as separate processes (no
	// shared copy), so tests exercise the broadcast and --load all paths.
	separate bool
}

func (cfg config) validate() error {
	switch {
	case cfg.Polygons == "" || cfg.Points == "":
		return errors.New("--polygons and --points are required (see --help)")
	case cfg.Load != "root" && cfg.Load != "all":
		return fmt.Errorf("--load %q: want root or all", cfg.Load)
	}
	if _, err := geo.ParseFilter(cfg.Filter); err != nil {
		return fmt.Errorf("--filter: %w", err)
	}
	if _, err := geo.ParseFilter(cfg.PointFilter); err != nil {
		return fmt.Errorf("--point-filter: %w", err)
	}
	return outfile.Check(cfg.Out, cfg.Polygons, cfg.Points)
}

func (cfg config) pointOptions() geo.PointOptions {
	f, _ := geo.ParseFilter(cfg.PointFilter)
	return geo.PointOptions{ID: cfg.PointID, Lat: cfg.Lat, Lon: cfg.Lon, Filter: f}
}
