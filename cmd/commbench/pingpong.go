package main

import (
	"context"
	"fmt"

	"github.com/gorun-dev/gorun/comm"
)

// Tags of the point-to-point benchmarks.
const (
	tagData = 1
	tagAck  = 2
)

// window is the number of messages of one bandwidth window for size.
func window(cfg *config, size int) int {
	return max(1, min(cfg.Window, maxInFlight/size))
}

// pingPong runs the latency benchmark between rank 0 and t's peer and
// returns the one-way time in seconds (round trip / 2). Other ranks only
// keep time.
func pingPong(ctx context.Context, t timer, size int) (float64, error) {
	c, peer := t.c, t.peer()
	buf := make([]byte, size)
	var in []byte
	run := func(n int) error {
		switch c.Rank() {
		case 0:
			for range n {
				if err := c.Send(ctx, peer, tagData, buf); err != nil {
					return err
				}
				if _, err := c.Recv(ctx, peer, tagData, &in); err != nil {
					return err
				}
			}
		case peer:
			for range n {
				if _, err := c.Recv(ctx, 0, tagData, &in); err != nil {
					return err
				}
				if err := c.Send(ctx, 0, tagData, in); err != nil {
					return err
				}
			}
		}
		return nil
	}
	rt, err := t.perIter(ctx, run)
	if err == nil && c.Rank() == 0 && len(in) != size {
		err = fmt.Errorf("latency: echo of %d bytes came back with %d", size, len(in))
	}
	return rt / 2, err
}

// bandwidth runs osu_bw between rank 0 and t's peer: rank 0 sends a
// window of messages, the peer receives them all and acknowledges the
// window with one empty message. It returns the time per message in
// seconds.
func bandwidth(ctx context.Context, t timer, size int) (float64, error) {
	c, peer := t.c, t.peer()
	w := window(t.cfg, size)
	buf := make([]byte, size)
	ins := make([][]byte, w)
	reqs := make([]*comm.Request, w)
	var ack []byte
	run := func(n int) error {
		switch c.Rank() {
		case 0:
			for range n {
				for i := range reqs {
					reqs[i] = c.Isend(ctx, peer, tagData, buf)
				}
				if err := waitAll(ctx, reqs); err != nil {
					return err
				}
				if _, err := c.Recv(ctx, peer, tagAck, &ack); err != nil {
					return err
				}
			}
		case peer:
			for range n {
				for i := range reqs {
					reqs[i] = c.Irecv(0, tagData, &ins[i])
				}
				if err := waitAll(ctx, reqs); err != nil {
					return err
				}
				if err := c.Send(ctx, 0, tagAck, []byte{}); err != nil {
					return err
				}
			}
		}
		return nil
	}
	per, err := t.perIter(ctx, run)
	if err == nil && c.Rank() == peer && len(ins[w-1]) != size {
		err = fmt.Errorf("bandwidth: sent %d bytes, received %d", size, len(ins[w-1]))
	}
	return per / float64(w), err
}

func waitAll(ctx context.Context, reqs []*comm.Request) error {
	for _, r := range reqs {
		if _, err := r.Wait(ctx); err != nil {
			return err
		}
	}
	return nil
}
