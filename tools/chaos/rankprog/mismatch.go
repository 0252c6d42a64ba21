package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gorun-dev/gorun/comm"
)

// call is one collective call: what it is, for the output, and how to
// make it on rank c.
type call struct {
	name string
	do   func(ctx context.Context, c *comm.Comm) (any, error)
}

// absMax is a user op, so that ops of every kind take part.
var absMax = comm.NewOp("AbsMax", func(a, b float64) float64 { return max(math.Abs(a), math.Abs(b)) })

// absMaxSlices is AbsMax for the calls that reduce slices, where a user
// op combines whole slices.
var absMaxSlices = comm.NewOp("AbsMax", func(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range out {
		out[i] = max(math.Abs(a[i]), math.Abs(b[min(i, len(b)-1)]))
	}
	return out
})

var ops = []comm.Op{comm.Sum, comm.Prod, comm.Min, comm.Max, absMax}

// rootedCalls are the collectives with a root; opCalls those with an op.
var (
	rootedCalls = []string{"Bcast", "Reduce", "Gather", "Gatherv", "Scatter", "Scatterv"}
	opCalls     = []string{"Reduce", "Allreduce", "Allreduce[]", "Scan", "Exscan", "ReduceScatter"}
	otherCalls  = []string{"Barrier", "Allgather", "Allgatherv", "Alltoall"}
)

// collective makes the call name with root, op and n elements (for the
// calls that take a slice).
func collective(name string, root int, op comm.Op, n int) call {
	label := fmt.Sprintf("%s(root %d, %v, %d elements)", name, root, op, n)
	vec := func(c *comm.Comm, k int) []float64 {
		v := make([]float64, k)
		for i := range v {
			v[i] = float64(c.Rank()+1) * float64(i+1)
		}
		return v
	}
	do := func(ctx context.Context, c *comm.Comm) (any, error) {
		x := float64(c.Rank() + 1)
		switch name {
		case "Barrier":
			return nil, c.Barrier(ctx)
		case "Bcast":
			v := vec(c, n)
			err := comm.Bcast(ctx, c, root, &v)
			return v, err
		case "Reduce":
			return comm.Reduce(ctx, c, root, x, op)
		case "Allreduce":
			return comm.Allreduce(ctx, c, x, op)
		case "Allreduce[]":
			if op.String() == absMax.String() {
				op = absMaxSlices
			}
			return comm.Allreduce(ctx, c, vec(c, n), op)
		case "Scan":
			return comm.Scan(ctx, c, x, op)
		case "Exscan":
			return comm.Exscan(ctx, c, x, op)
		case "ReduceScatter":
			if op.String() == absMax.String() {
				op = absMaxSlices
			}
			return comm.ReduceScatter(ctx, c, vec(c, n*c.Size()), nil, op)
		case "Gather":
			return comm.Gather(ctx, c, root, x)
		case "Gatherv":
			return comm.Gatherv(ctx, c, root, vec(c, n))
		case "Scatter":
			return comm.Scatter(ctx, c, root, vec(c, c.Size()))
		case "Scatterv":
			return comm.Scatterv(ctx, c, root, vec(c, n*c.Size()), nil)
		case "Allgather":
			return comm.Allgather(ctx, c, x)
		case "Allgatherv":
			return comm.Allgatherv(ctx, c, vec(c, n))
		case "Alltoall":
			return comm.Alltoall(ctx, c, vec(c, c.Size()))
		}
		return nil, fmt.Errorf("no collective %q", name)
	}
	return call{name: label, do: do}
}

// pick is a random element of s.
func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// pair is the two calls of a mismatch of kind: one group makes a, the
// other b.
func pair(kind string, r *rand.Rand, size int) (a, b call, err error) {
	switch kind {
	case "collective":
		all := append(append([]string{"Allreduce", "Scan", "Exscan", "ReduceScatter"}, rootedCalls...), otherCalls...)
		x := r.IntN(len(all))
		y := (x + 1 + r.IntN(len(all)-1)) % len(all)
		return collective(all[x], 0, comm.Sum, 2), collective(all[y], 0, comm.Sum, 2), nil
	case "root":
		name := pick(r, rootedCalls)
		r1 := r.IntN(size)
		r2 := (r1 + 1 + r.IntN(size-1)) % size
		return collective(name, r1, comm.Sum, 2), collective(name, r2, comm.Sum, 2), nil
	case "op":
		name := pick(r, opCalls)
		o1 := r.IntN(len(ops))
		o2 := (o1 + 1 + r.IntN(len(ops)-1)) % len(ops)
		return collective(name, 0, ops[o1], 2), collective(name, 0, ops[o2], 2), nil
	case "count":
		// The calls that require equal element counts on every rank.
		// Small slices (recursive doubling), large ones (the ring, whose
		// blocks may have equal lengths on most ranks), or one side of
		// the large-slice threshold each.
		name := pick(r, []string{"Allreduce[]", "ReduceScatter"})
		n1 := 1 + r.IntN(4)
		switch r.IntN(3) {
		case 1:
			n1 = 1<<14 + r.IntN(4)
		case 2:
			n1 = 1<<12 + r.IntN(4)
			n2 := 1<<14 + r.IntN(4)
			return collective(name, 0, comm.Sum, n1), collective(name, 0, comm.Sum, n2), nil
		}
		n2 := n1 + 1 + r.IntN(4)
		return collective(name, 0, comm.Sum, n1), collective(name, 0, comm.Sum, n2), nil
	}
	return call{}, call{}, fmt.Errorf("unknown mismatch kind %q", kind)
}

// mismatch is the mismatch scenario: a random nonempty proper subset of
// the ranks makes one call, the rest another.
func mismatch(kind string, seed uint64, dir string) comm.RankFunc {
	return func(ctx context.Context, c *comm.Comm) error {
		r := rand.New(rand.NewPCG(seed, uint64(c.Size())))
		a, b, err := pair(kind, r, c.Size())
		if err != nil {
			return comm.Exit(2, err)
		}
		// Bit i of group: rank i makes a; never all, never none.
		group := 1 + r.Uint64N(1<<c.Size()-2)
		mine, theirs := b, a
		if group>>c.Rank()&1 == 1 {
			mine, theirs = a, b
		}
		start := time.Now()
		res, err := mine.do(ctx, c)
		took := time.Since(start).Seconds()
		var me *comm.MismatchError
		switch {
		case errors.As(err, &me):
			fmt.Printf("mismatch rank %d in %.3fs: %s vs %s: %v\n", c.Rank(), took, mine.name, theirs.name, err)
		case err != nil:
			fmt.Printf("error rank %d in %.3fs: %s vs %s: %v\n", c.Rank(), took, mine.name, theirs.name, err)
		default:
			fmt.Printf("result rank %d in %.3fs: %s vs %s: %v\n", c.Rank(), took, mine.name, theirs.name, res)
		}
		// Stay until every rank has reported (or for 3 s: a mismatch is
		// reported within about a second), so that no rank sees another
		// exit instead of the mismatch.
		if err := writeFile(dir, "reported."+strconv.Itoa(c.Rank()), ""); err != nil {
			return err
		}
		for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			ents, _ := os.ReadDir(dir)
			done := 0
			for _, e := range ents {
				if strings.HasPrefix(e.Name(), "reported.") {
					done++
				}
			}
			if done == c.Size() {
				break
			}
		}
		return nil
	}
}
