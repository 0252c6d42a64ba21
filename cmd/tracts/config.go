package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gorun-dev/gorun/cmd/internal/outfile"
	"github.com/gorun-dev/gorun/kernels/geo"
)

// config is one tracts job.
type config struct {
	Tracts, Points string // input files
	K, Dup         int
	Method         string // "index" or "brute"
	Schedule       string // "static" or "dynamic"
	Chunk          int    // polygons per dynamic chunk (0: about 4 per rank)
	CRS            string // "auto" or "EPSG:N"
	ID             string // polygon id property
	Filter         string // polygon property filter KEY=VAL[,VAL]
	PointFilter    string // point column filter KEY=VAL[,VAL]
	Lat, Lon       string // point columns ("" = found by name)
	Load           string // "root" or "all"
	Out            string // output file; "" or "-" = Stdout
	Verbose        bool
	Stdout, Stderr io.Writer

	// separate makes goroutine ranks behave as separate processes (no
	// shared copy), so tests exercise the broadcast and --load all paths.
	separate bool
}

func (cfg config) validate() error {
	switch {
	case cfg.Tracts == "" || cfg.Points == "":
		return errors.New("--tracts and --points are required (see --help)")
	case cfg.K < 1:
		return fmt.Errorf("--k %d: must be 1 or more", cfg.K)
	case cfg.Dup < 1:
		return fmt.Errorf("--dup %d: must be 1 or more", cfg.Dup)
	case cfg.Method != "index" && cfg.Method != "brute":
		return fmt.Errorf("--method %q: want index or brute", cfg.Method)
	case cfg.Schedule != "static" && cfg.Schedule != "dynamic":
		return fmt.Errorf("--schedule %q: want static or dynamic", cfg.Schedule)
	case cfg.Chunk < 0:
		return fmt.Errorf("--chunk %d: must be 0 (auto) or more", cfg.Chunk)
	case cfg.Load != "root" && cfg.Load != "all":
		return fmt.Errorf("--load %q: want root or all", cfg.Load)
	}
	if _, err := geo.ParseFilter(cfg.Filter); err != nil {
		return fmt.Errorf("--filter: %w", err)
	}
	if _, err := geo.ParseFilter(cfg.PointFilter); err != nil {
		return fmt.Errorf("--point-filter: %w", err)
	}
	if _, err := geo.ParseCRS(cfg.CRS, geo.Bounds{MinX: 0, MaxX: 1}); err != nil {
		return fmt.Errorf("--crs: %w", err)
	}
	var inputs []string
	for _, in := range []string{cfg.Tracts, cfg.Points} {
		if !strings.HasPrefix(in, "synth:") {
			inputs = append(inputs, in)
		}
	}
	return outfile.Check(cfg.Out, inputs...)
}

// phases records wall-clock phase times for -v.
type phases struct {
	start time.Time
	names []string
	secs  []float64
}

func newPhases() *phases { return &phases{start: time.Now()} }

func (p *phases) mark(name string) {
	now := time.Now()
	p.names = append(p.names, name)
	p.secs = append(p.secs, now.Sub(p.start).Seconds())
	p.start = now
}

func (p *phases) String() string {
	s := ""
	for i, n := range p.names {
		s += fmt.Sprintf(" %s=%.3fs", n, p.secs[i])
	}
	return s
}
