package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/gorun-dev/gorun/cmd/internal/cli"
	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/kernels/geo"
)

// dataset is the projected input of a job, read-only once made.
type dataset struct {
	Polys *geo.Polygons // tracts in metres
	Pts   *geo.Points   // facilities in metres (no ids)
	EPSG  int
}

// readInputs reads, filters and projects both files (the slow part of a
// run).
func readInputs(cfg config) (*dataset, error) {
	polys, err := loadPolygons(cfg)
	if err != nil {
		return nil, err
	}
	if polys.Len() == 0 {
		return nil, fmt.Errorf("%s: no polygons (filter %q)", cfg.Tracts, cfg.Filter)
	}
	pts, err := loadPoints(cfg)
	if err != nil {
		return nil, err
	}
	if pts.Len() == 0 {
		return nil, fmt.Errorf("%s: no points (filter %q)", cfg.Points, cfg.PointFilter)
	}
	if err := geo.CheckK(cfg.K, int64(pts.Len())*int64(cfg.Dup)); err != nil {
		return nil, fmt.Errorf("--k: %w", err)
	}
	proj, err := geo.ParseCRS(cfg.CRS, polys.TotalBounds())
	if err != nil {
		return nil, err
	}
	pts.IDs = nil
	return &dataset{Polys: polys.Project(proj), Pts: pts.Project(proj), EPSG: proj.EPSG()}, nil
}

// synthRegion is where synthetic inputs lie: a 1-degree box over Chicago.
var synthRegion = geo.Bounds{MinX: -88.3, MinY: 41.4, MaxX: -87.3, MaxY: 42.4}

// parseSynth reads "synth:N" or "synth:N:SEED" (seed default 1).
func parseSynth(spec string) (n int, seed uint64, ok bool, err error) {
	rest, ok := strings.CutPrefix(spec, "synth:")
	if !ok {
		return 0, 0, false, nil
	}
	ns, ss, hasSeed := strings.Cut(rest, ":")
	seed = 1
	n, err = strconv.Atoi(ns)
	if err == nil && hasSeed {
		seed, err = strconv.ParseUint(ss, 10, 64)
	}
	if err != nil || n < 1 {
		return 0, 0, true, fmt.Errorf("bad synthetic input %q: want synth:N or synth:N:SEED, N >= 1", spec)
	}
	return n, seed, true, nil
}

// loadPolygons reads the tracts file, or makes synth:N tract-like polygons
// (tiling synthRegion, some with holes) for scaling runs.
func loadPolygons(cfg config) (*geo.Polygons, error) {
	if n, seed, ok, err := parseSynth(cfg.Tracts); ok {
		if err != nil {
			return nil, err
		}
		return geo.SynthPolygons(rand.New(rand.NewPCG(seed, 1)), n, synthRegion, false), nil
	}
	filter, _ := geo.ParseFilter(cfg.Filter)
	return geo.LoadGeoJSON(cfg.Tracts, geo.GeoJSONOptions{ID: cfg.ID, Filter: filter})
}

// loadPoints reads the points file, or makes synth:N uniform points.
func loadPoints(cfg config) (*geo.Points, error) {
	if n, seed, ok, err := parseSynth(cfg.Points); ok {
		if err != nil {
			return nil, err
		}
		return geo.SynthPoints(rand.New(rand.NewPCG(seed, 2)), n, synthRegion), nil
	}
	pf, _ := geo.ParseFilter(cfg.PointFilter)
	pts, _, err := geo.LoadPoints(cfg.Points, geo.PointOptions{Lat: cfg.Lat, Lon: cfg.Lon, Filter: pf})
	return pts, err
}

// encodeDataset is the broadcast form: EPSG, polygon length, polygons,
// points, with a spare byte of capacity for BcastLoad's status.
func encodeDataset(d *dataset) ([]byte, error) {
	pb, err := d.Polys.MarshalBinary()
	if err != nil {
		return nil, err
	}
	qb, err := d.Pts.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b := make([]byte, 12, 12+len(pb)+len(qb)+1)
	binary.LittleEndian.PutUint32(b, uint32(d.EPSG))
	binary.LittleEndian.PutUint64(b[4:], uint64(len(pb)))
	return append(append(b, pb...), qb...), nil
}

// decodeDataset reads encodeDataset's form.
func decodeDataset(b []byte) (*dataset, error) {
	if len(b) < 12 {
		return nil, errors.New("tracts: short dataset broadcast")
	}
	n := binary.LittleEndian.Uint64(b[4:])
	if n > uint64(len(b)-12) {
		return nil, errors.New("tracts: corrupt dataset broadcast")
	}
	d := &dataset{Polys: &geo.Polygons{}, Pts: &geo.Points{}, EPSG: int(binary.LittleEndian.Uint32(b))}
	if err := d.Polys.UnmarshalBinary(b[12 : 12+n]); err != nil {
		return nil, err
	}
	if err := d.Pts.UnmarshalBinary(b[12+n:]); err != nil {
		return nil, err
	}
	return d, nil
}

// acquire gives every rank the dataset. In a goroutine world the ranks
// share one copy, loaded once (comm.LoadOnce); in a hybrid world the
// ranks of each process share one. In a process world, with
// --load root rank 0 reads the files and broadcasts the binary form; with
// --load all every rank reads the files itself. All ranks agree on errors:
// bad input comes back marked with cli.BadInput on every rank.
func acquire(ctx context.Context, c *comm.Comm, cfg config, shared bool) (*dataset, error) {
	load := func() (*dataset, error) { return readInputs(cfg) }
	var d *dataset
	var err error
	switch {
	case shared:
		d, err = comm.LoadOnce(ctx, c, "tracts/dataset", load, encodeDataset, decodeDataset)
	case cfg.Load == "all":
		d, err = load()
		err = comm.AgreeError(ctx, c, err)
	default:
		d, err = comm.BcastLoad(ctx, c, load, encodeDataset, decodeDataset)
	}
	if err != nil {
		return nil, cli.AgreedBadInput(err)
	}
	return d, nil
}
