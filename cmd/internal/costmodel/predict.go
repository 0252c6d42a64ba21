package costmodel

import (
	"errors"
	"fmt"
)

// Collectives Predict knows, named as commbench's op column names them.
const (
	Barrier   = "barrier"
	Bcast     = "bcast"
	Allreduce = "allreduce"
	Alltoall  = "alltoall"
)

// largeAllreduce is the size from which comm's Allreduce of a numeric
// slice leaves recursive doubling for the ring (comm's largeThreshold).
const largeAllreduce = 64 << 10

// linearMax is the largest group comm's staged collectives fan into or out
// of directly, one message per rank, rather than by a binomial tree.
const linearMax = 4

// ErrNoModel is returned by Predict for a call that moves no messages:
// a large Allreduce in a goroutine world reduces in shared memory.
var ErrNoModel = errors.New("costmodel: no message model (shared-memory reduction)")

// Net is the two links a job's messages cross.
type Net struct {
	Intra Link // between ranks on one host
	Inter Link // between ranks on different hosts
}

// Shape is where a collective runs.
type Shape struct {
	Ranks        int
	Nodes        int  // hosts, filled by ranks in consecutive blocks; 0 means 1
	Staged       bool // staged algorithms where they apply (comm.TopologyAuto)
	SharedMemory bool // a goroutine world: large Allreduce works in memory
}

// Prediction is the modelled time of one call and the algorithm priced.
type Prediction struct {
	Seconds   float64
	Algorithm string
}

// Predict is the modelled time of one call of op (Barrier, Bcast,
// Allreduce or Alltoall) on s, moving m bytes (Bcast: the value;
// Allreduce: the vector; Alltoall: each block), over net.
func Predict(op string, s Shape, m int, net Net) (Prediction, error) {
	p, n := s.Ranks, max(s.Nodes, 1)
	if p < 1 || n > p || m < 0 {
		return Prediction{}, fmt.Errorf("costmodel: %s of %d bytes on %d ranks over %d nodes: not a shape", op, m, p, n)
	}
	q := (p + n - 1) / n // ranks on the fullest node
	if s.Staged && p >= 3 && n > 1 && q > 1 {
		return staged(op, n, q, m, p == n*q, net)
	}
	f := flat{p: p, q: q, n: n, net: net}
	mf := float64(m)
	switch op {
	case Barrier:
		return Prediction{f.dissemination(), "dissemination"}, nil
	case Bcast:
		return Prediction{f.tree(mf) + f.dissemination(), "binomial tree + barrier"}, nil
	case Allreduce:
		switch {
		case p == 1:
			return Prediction{0, "none"}, nil
		case s.SharedMemory && m >= largeAllreduce:
			return Prediction{}, ErrNoModel
		case m >= largeAllreduce && p >= 3:
			return Prediction{ring(p, mf, f.link(0)), "ring"}, nil
		}
		return Prediction{f.recursiveDoubling(mf), "recursive doubling"}, nil
	case Alltoall:
		return Prediction{float64(p-1) * f.link(0).Time(mf), "pairwise exchange"}, nil
	}
	return Prediction{}, fmt.Errorf("costmodel: no model for %q (want %s, %s, %s or %s)", op, Barrier, Bcast, Allreduce, Alltoall)
}

// flat prices comm's flat algorithms on p ranks that fill n nodes of q.
type flat struct {
	p, q, n int
	net     Net
}

// link is the link of a step: Inter when the job spans nodes, unless the
// step pairs only ranks d apart within aligned blocks of 2d (trees and
// recursive doubling), which stay on one node when q is a multiple of 2d.
// d 0 is any other pairing (ring, pairwise, dissemination).
func (f flat) link(d int) Link {
	if f.n == 1 || d > 0 && f.q%(2*d) == 0 {
		return f.net.Intra
	}
	return f.net.Inter
}

// dissemination is ceil(log2 p) rounds of one empty message.
func (f flat) dissemination() float64 {
	t := 0.0
	for d := 1; d < f.p; d *= 2 {
		t += f.link(0).Time(0)
	}
	return t
}

// tree is a binomial tree: one message of m bytes per round, the round of
// distance d within a node when blocks of 2d fit in one.
func (f flat) tree(m float64) float64 {
	t := 0.0
	for d := 1; d < f.p; d *= 2 {
		t += f.link(d).Time(m)
	}
	return t
}

// recursiveDoubling is log2 of the largest power of two <= p rounds of an
// exchange of m bytes, and two more steps when p is not a power of two
// (the extra ranks fold in first and get the result last).
func (f flat) recursiveDoubling(m float64) float64 {
	pof2 := 1
	for pof2*2 <= f.p {
		pof2 *= 2
	}
	t := 0.0
	for d := 1; d < pof2; d *= 2 {
		t += f.link(d).Time(m)
	}
	if f.p > pof2 {
		t += 2 * f.link(1).Time(m)
	}
	return t
}

// ring is reduce-scatter then allgather: 2(p-1) steps of m/p bytes,
// 2(p-1)·alpha + 2(p-1)/p·m/beta.
func ring(p int, m float64, l Link) float64 {
	return float64(2*(p-1)) * l.Time(m/float64(p))
}

// fan is one rank sending to or receiving from k others at once: one
// latency, k·m bytes through its link.
func fan(k int, m float64, l Link) float64 {
	if k <= 0 {
		return 0
	}
	return l.Alpha + float64(k)*m/l.Beta
}
