package main

import (
	"context"
	"errors"
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

// acquire gives every rank the polygons and their index: one shared copy
// in a goroutine world; in a process world rank 0 decodes the GeoJSON and
// broadcasts the binary form (--load root) or every rank reads it (--load
// all). Bad input comes back marked with cli.BadInput on every rank.
func acquire(ctx context.Context, c *comm.Comm, cfg config, shared bool) (*polygonIndex, error) {
	if shared {
		pi, err := comm.Shared(ctx, c, "sjoin/polygons", func() (*polygonIndex, error) {
			p, err := readPolygons(cfg)
			if err != nil {
				return nil, err
			}
			return &polygonIndex{p, geo.NewPIPIndex(p)}, nil
		})
		if err != nil {
			return nil, cli.BadInput(err)
		}
		return pi, nil
	}
	var p *geo.Polygons
	if cfg.Load == "all" {
		var err error
		p, err = readPolygons(cfg)
		if err := agree(ctx, c, err); err != nil {
			return nil, err
		}
	} else {
		var b []byte
		if c.Rank() == 0 {
			pp, err := readPolygons(cfg)
			if err != nil {
				b = append([]byte{1}, err.Error()...)
			} else {
				pb, _ := pp.MarshalBinary()
				b = append([]byte{0}, pb...)
			}
		}
		if err := comm.Bcast(ctx, c, 0, &b); err != nil {
			return nil, err
		}
		if len(b) > 0 && b[0] == 1 {
			return nil, cli.BadInput(errors.New(string(b[1:])))
		}
		if len(b) == 0 {
			return nil, errors.New("sjoin: empty polygon broadcast")
		}
		p = &geo.Polygons{}
		if err := p.UnmarshalBinary(b[1:]); err != nil {
			return nil, err
		}
	}
	return &polygonIndex{p, geo.NewPIPIndex(p)}, nil
}

// agree makes every rank learn whether any rank failed: the error of the
// lowest failing rank (the earliest in file order for byte ranges) comes
// back marked with cli.BadInput on every rank.
func agree(ctx context.Context, c *comm.Comm, local error) error {
	msg := ""
	if local != nil {
		msg = local.Error()
	}
	msgs, err := comm.Allgather(ctx, c, msg)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if m != "" {
			return cli.BadInput(errors.New(m))
		}
	}
	return nil
}
