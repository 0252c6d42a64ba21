package main

import (
	"context"
	"fmt"

	"github.com/gorun-dev/gorun/cmd/internal/cli"
	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/kernels/geo"
)

// polygonIndex is the read-only polygon side: the polygons and their index.
type polygonIndex struct {
	polys *geo.Polygons
	ix    *geo.PIPIndex
}

func readPolygons(cfg config) (*geo.Polygons, error) {
	f, _ := geo.ParseFilter(cfg.Filter)
	p, err := geo.LoadGeoJSON(cfg.Polygons, geo.GeoJSONOptions{ID: cfg.ID, Filter: f})
	if err == nil && p.Len() == 0 {
		err = fmt.Errorf("%s: no polygons (filter %q)", cfg.Polygons, cfg.Filter)
	}
	return p, err
}

// loadIndex reads the polygons and indexes them.
func loadIndex(cfg config) (*polygonIndex, error) {
	p, err := readPolygons(cfg)
	if err != nil {
		return nil, err
	}
	return &polygonIndex{p, geo.NewPIPIndex(p)}, nil
}

// encodeIndex is the broadcast form: the polygons (the index is rebuilt).
func encodeIndex(pi *polygonIndex) ([]byte, error) { return pi.polys.MarshalBinary() }

func decodeIndex(b []byte) (*polygonIndex, error) {
	p := &geo.Polygons{}
	if err := p.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return &polygonIndex{p, geo.NewPIPIndex(p)}, nil
}

// acquire gives every rank the polygons and their index: one shared copy
// in a goroutine world, one per process in a hybrid world; in a process world rank 0 decodes the GeoJSON and
// broadcasts the binary form (--load root) or every rank reads it (--load
// all). Bad input comes back marked with cli.BadInput on every rank.
func acquire(ctx context.Context, c *comm.Comm, cfg config, shared bool) (*polygonIndex, error) {
	load := func() (*polygonIndex, error) { return loadIndex(cfg) }
	var pi *polygonIndex
	var err error
	switch {
	case shared:
		pi, err = comm.LoadOnce(ctx, c, "sjoin/polygons", load, encodeIndex, decodeIndex)
	case cfg.Load == "all":
		pi, err = load()
		err = comm.AgreeError(ctx, c, err)
	default:
		pi, err = comm.BcastLoad(ctx, c, load, encodeIndex, decodeIndex)
	}
	if err != nil {
		return nil, cli.AgreedBadInput(err)
	}
	return pi, nil
}
