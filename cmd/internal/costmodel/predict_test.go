package costmodel_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/gorun-dev/gorun/cmd/internal/costmodel"
)

func TestPredict(t *testing.T) {
	in := costmodel.Link{Alpha: 1e-6, Beta: 1e9}   // within a host
	out := costmodel.Link{Alpha: 50e-6, Beta: 1e8} // between hosts
	net := costmodel.Net{Intra: in, Inter: out}
	const M = 1 << 20
	for _, tc := range []struct {
		name  string
		op    string
		shape costmodel.Shape
		m     int
		want  float64
		algo  string
	}{
		{"barrier 8", costmodel.Barrier, costmodel.Shape{Ranks: 8}, 0, 3 * in.Alpha, "dissemination"},
		{"barrier 5", costmodel.Barrier, costmodel.Shape{Ranks: 5}, 0, 3 * in.Alpha, "dissemination"},
		{"bcast 4", costmodel.Bcast, costmodel.Shape{Ranks: 4}, 64, 2*in.Time(64) + 2*in.Alpha, "binomial tree + barrier"},
		{"allreduce 4 small", costmodel.Allreduce, costmodel.Shape{Ranks: 4}, 8, 2 * in.Time(8), "recursive doubling"},
		{"allreduce 6 small", costmodel.Allreduce, costmodel.Shape{Ranks: 6}, 8, 4 * in.Time(8), "recursive doubling"},
		{"allreduce 2 large", costmodel.Allreduce, costmodel.Shape{Ranks: 2}, M, in.Time(M), "recursive doubling"},
		{"allreduce 8 ring", costmodel.Allreduce, costmodel.Shape{Ranks: 8}, M, 14*in.Alpha + 2*7.0/8*M/in.Beta, "ring"},
		{"allreduce 1", costmodel.Allreduce, costmodel.Shape{Ranks: 1}, M, 0, "none"},
		{"alltoall 4", costmodel.Alltoall, costmodel.Shape{Ranks: 4}, 1024, 3 * in.Time(1024), "pairwise exchange"},
		// Flat over 2 nodes of 2: the tree's first round stays on a node.
		{"bcast flat 2x2", costmodel.Bcast, costmodel.Shape{Ranks: 4, Nodes: 2}, 64, in.Time(64) + out.Time(64) + 2*out.Alpha, "binomial tree + barrier"},
		{"ring flat 2x2", costmodel.Allreduce, costmodel.Shape{Ranks: 4, Nodes: 2}, M, 6*out.Alpha + 1.5*M/out.Beta, "ring"},
		{"alltoall flat 3x2", costmodel.Alltoall, costmodel.Shape{Ranks: 6, Nodes: 3}, 8, 5 * out.Time(8), "pairwise exchange"},
		// Staged over 3 nodes of 2: fan in, leaders, fan out.
		{"allreduce staged 3x2 small", costmodel.Allreduce, costmodel.Shape{Ranks: 6, Nodes: 3, Staged: true}, 8,
			2*in.Time(8) + out.Alpha + 16/out.Beta, "staged: fan-in + exchange + fan-out"},
		{"allreduce staged 3x2 large", costmodel.Allreduce, costmodel.Shape{Ranks: 6, Nodes: 3, Staged: true}, M,
			2*in.Time(M/2.0) + 4*out.Time(M/6.0), "staged: reduce-scatter + rings + allgather"},
		{"allreduce staged 2x3 large", costmodel.Allreduce, costmodel.Shape{Ranks: 6, Nodes: 2, Staged: true}, M,
			2*(in.Alpha+2*(M/3.0)/in.Beta) + out.Time(M/3.0), "staged: reduce-scatter + exchange + allgather"},
		{"allreduce staged 7 on 3 large", costmodel.Allreduce, costmodel.Shape{Ranks: 7, Nodes: 3, Staged: true}, M,
			2*(in.Alpha+2*M/in.Beta) + 4*out.Time(M/3.0), "staged: fan-in + ring + fan-out"},
		{"alltoall staged 3x2", costmodel.Alltoall, costmodel.Shape{Ranks: 6, Nodes: 3, Staged: true}, 8,
			2*in.Time(6*8) + 2*out.Time(4*8), "staged: gather + pairwise + scatter"},
		{"barrier staged 3x2", costmodel.Barrier, costmodel.Shape{Ranks: 6, Nodes: 3, Staged: true}, 0,
			2*in.Alpha + 2*out.Alpha, "staged: notify + dissemination + release"},
		{"bcast staged 2x4", costmodel.Bcast, costmodel.Shape{Ranks: 8, Nodes: 2, Staged: true}, 64,
			4*in.Time(64) + out.Time(64) + 2*in.Alpha + out.Alpha, "staged: binomial trees + barrier"},
		// One rank per node: nothing to stage, the flat algorithms run.
		{"staged 3x1 is flat", costmodel.Alltoall, costmodel.Shape{Ranks: 3, Nodes: 3, Staged: true}, 8, 2 * out.Time(8), "pairwise exchange"},
		{"shared small", costmodel.Allreduce, costmodel.Shape{Ranks: 4, SharedMemory: true}, 8, 2 * in.Time(8), "recursive doubling"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := costmodel.Predict(tc.op, tc.shape, tc.m, net)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(p.Seconds-tc.want) > 1e-12+1e-9*tc.want {
				t.Errorf("%.6g s, want %.6g s", p.Seconds, tc.want)
			}
			if p.Algorithm != tc.algo {
				t.Errorf("algorithm %q, want %q", p.Algorithm, tc.algo)
			}
		})
	}
}

func TestPredictErrors(t *testing.T) {
	l := costmodel.Link{Alpha: 1e-6, Beta: 1e9}
	net := costmodel.Net{Intra: l, Inter: l}
	if _, err := costmodel.Predict(costmodel.Allreduce, costmodel.Shape{Ranks: 4, SharedMemory: true}, 1<<20, net); !errors.Is(err, costmodel.ErrNoModel) {
		t.Errorf("shared-memory allreduce: %v, want ErrNoModel", err)
	}
	for _, tc := range []struct {
		name  string
		op    string
		shape costmodel.Shape
		want  string
	}{
		{"unknown op", "scan", costmodel.Shape{Ranks: 4}, `no model for "scan"`},
		{"no ranks", costmodel.Barrier, costmodel.Shape{}, "not a shape"},
		{"more nodes than ranks", costmodel.Barrier, costmodel.Shape{Ranks: 2, Nodes: 3}, "not a shape"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := costmodel.Predict(tc.op, tc.shape, 8, net)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
