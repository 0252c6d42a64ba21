package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/gorun-dev/gorun/cmd/internal/cli"
	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/kernels/geo"
)

// progressStep is how many points a rank assigns between progress reports.
const progressStep = 4096

// run is the SPMD body of sjoin: the same on every rank.
func run(ctx context.Context, c *comm.Comm, cfg config) error {
	if err := cfg.validate(); err != nil {
		return cli.ExitBadInput(c, err)
	}
	t0 := time.Now()
	shared := c.SharesValues() && !cfg.separate
	pi, err := acquire(ctx, c, cfg, shared)
	if err != nil {
		return cli.Exit(c, err)
	}
	tPoly := time.Now()

	// Every rank reads the header, then the rows starting in its byte range.
	h, err := geo.ReadCSVHeader(cfg.Points, cfg.pointOptions())
	var pts *geo.Points
	if err == nil {
		pts, err = readShare(c, cfg.Points, h)
	}
	if err := comm.AgreeError(ctx, c, err); err != nil {
		return cli.Exit(c, cli.AgreedBadInput(err))
	}
	tRead := time.Now()

	out := assign(c, pi, pts)
	all, err := comm.Gatherv(ctx, c, 0, out)
	if err != nil {
		return err
	}
	tAssign := time.Now()
	if c.Rank() == 0 {
		header := h.IDName() + "," + idName(cfg.ID) + "\n"
		if err := writeOutput(cfg.Out, cfg.Stdout, []byte(header), all); err != nil {
			return err
		}
	}
	if cfg.Verbose {
		fmt.Fprintf(cfg.Stderr, "sjoin: rank %d/%d: polygons=%d points=%d shared=%v load=%s polygons=%.3fs read=%.3fs assign+gather=%.3fs write=%.3fs\n",
			c.Rank(), c.Size(), pi.polys.Len(), pts.Len(), shared, cfg.Load, tPoly.Sub(t0).Seconds(), tRead.Sub(tPoly).Seconds(),
			tAssign.Sub(tRead).Seconds(), time.Since(tAssign).Seconds())
	}
	return nil
}

func idName(id string) string {
	if id == "" {
		return "GEOID"
	}
	return id
}

// readShare reads the data rows that start in this rank's byte range: the
// data bytes cut into Size equal ranges.
func readShare(c *comm.Comm, path string, h *geo.CSVHeader) (*geo.Points, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	data := st.Size() - h.DataStart
	r, p := int64(c.Rank()), int64(c.Size())
	lo := h.DataStart + data*r/p
	hi := h.DataStart + data*(r+1)/p
	return geo.ReadPointsRange(path, h, lo, hi)
}

// assign finds each point's polygon and returns this rank's output rows,
// "<point id>,<polygon id or empty>\n", in input order.
func assign(c *comm.Comm, pi *polygonIndex, pts *geo.Points) []byte {
	n := pts.Len()
	found := make([]int32, n)
	total := int64(n)
	c.Progress(0, total)
	for lo := 0; lo < n; lo += progressStep {
		hi := min(lo+progressStep, n)
		sub := &geo.Points{XY: pts.XY[2*lo : 2*hi]}
		pi.ix.Assign(found[lo:hi], sub)
		c.Progress(int64(hi), total)
	}
	var out []byte
	for j, id := range pts.IDs {
		out = append(append(out, id...), ',')
		if found[j] >= 0 {
			out = append(out, pi.polys.IDs[found[j]]...)
		}
		out = append(out, '\n')
	}
	return out
}
