package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gorun-dev/gorun/comm"
)

// Tags of the underload benchmark.
const (
	tagPing = 10
	tagBulk = 11
	tagDone = 12
	tagStop = 13
)

// underloadPings is the number of pings of the idle measurement.
const underloadPings = 200

// underload measures the one-way latency of size-byte messages between
// rank 0 and the last rank, first on an idle route, then while rank 0
// sends one frame of --bulk bytes to the rank before the last (on the
// last rank's host when ranks fill hosts in blocks, so both messages
// share the route between the hosts). It returns the median one-way time
// of each, in seconds (the loaded pings are those sent before the bulk
// frame's receiver confirmed it), and how long the bulk frame took.
func underload(ctx context.Context, c *comm.Comm, size, bulk int) (idle, loaded, transfer float64, err error) {
	n, r := c.Size(), c.Rank()
	peer, sink := n-1, n-2
	if r != 0 && r != peer && r != sink {
		return 0, 0, 0, c.Barrier(ctx)
	}
	if err := c.Barrier(ctx); err != nil {
		return 0, 0, 0, err
	}
	switch r {
	case 0:
		return pinger(ctx, c, peer, sink, size, bulk)
	case peer:
		return 0, 0, 0, echo(ctx, c)
	}
	var in []byte
	if _, err := c.Recv(ctx, 0, tagBulk, &in); err != nil {
		return 0, 0, 0, err
	}
	if len(in) != bulk {
		return 0, 0, 0, fmt.Errorf("underload: bulk frame of %d bytes arrived with %d", bulk, len(in))
	}
	return 0, 0, 0, c.Send(ctx, 0, tagDone, []byte{})
}

// pinger is rank 0's part of underload.
func pinger(ctx context.Context, c *comm.Comm, peer, sink, size, bulk int) (idle, loaded, transfer float64, err error) {
	buf := make([]byte, size)
	var in []byte
	ping := func() (float64, error) {
		start := time.Now()
		if err := c.Send(ctx, peer, tagPing, buf); err != nil {
			return 0, err
		}
		if _, err := c.Recv(ctx, peer, tagPing, &in); err != nil {
			return 0, err
		}
		return time.Since(start).Seconds() / 2, nil
	}
	var idles []float64
	for range underloadPings {
		dt, err := ping()
		if err != nil {
			return 0, 0, 0, err
		}
		idles = append(idles, dt)
	}
	start := time.Now()
	sent := make(chan error, 1)
	big := make([]byte, bulk)
	go func() { sent <- c.Send(ctx, sink, tagBulk, big) }()
	var loads []float64
	for {
		dt, err := ping()
		if err != nil {
			return 0, 0, 0, err
		}
		loads = append(loads, dt)
		if _, ok, err := c.Iprobe(sink, tagDone); err != nil {
			return 0, 0, 0, err
		} else if ok {
			break
		}
	}
	transfer = time.Since(start).Seconds()
	if err := <-sent; err != nil {
		return 0, 0, 0, err
	}
	if _, err := c.Recv(ctx, sink, tagDone, nil); err != nil {
		return 0, 0, 0, err
	}
	if err := c.Send(ctx, peer, tagStop, []byte{}); err != nil {
		return 0, 0, 0, err
	}
	return median(idles), median(loads), transfer, nil
}

// echo returns every ping to rank 0 until it says stop.
func echo(ctx context.Context, c *comm.Comm) error {
	var in []byte
	for {
		st, err := c.Recv(ctx, 0, comm.AnyTag, &in)
		if err != nil {
			return err
		}
		if st.Tag == tagStop {
			return nil
		}
		if err := c.Send(ctx, 0, tagPing, in); err != nil {
			return err
		}
	}
}

func median(xs []float64) float64 {
	slices.Sort(xs)
	return xs[len(xs)/2]
}
