package comm

import (
	"context"
	"slices"
)

// ring is reduce-scatter then allgather around the ring of ranks: p-1 steps
// each, one block of len(v)/p elements sent and received per step.
func ring[E number](ctx context.Context, k *coll, v []E, op Op) ([]E, error) {
	p, r := k.c.size, k.c.rank
	acc := slices.Clone(v)
	counts := EvenCounts(len(v), p)
	offs := make([]int, p+1)
	for i, n := range counts {
		offs[i+1] = offs[i] + n
	}
	block := func(i int) []E { return acc[offs[i]:offs[i+1]] }
	right, left := (r+1)%p, (r-1+p)%p
	for s := 0; s < p-1; s++ {
		if err := sendValue(ctx, k, right, block((r-s+p)%p)); err != nil {
			return nil, err
		}
		x, err := recvValue[[]E](ctx, k, left)
		if err != nil {
			return nil, err
		}
		if _, err := sliceOp(op, block((r-s-1+p)%p), x, true, false); err != nil {
			return nil, k.fromPeer(left, err, true)
		}
	}
	for s := 0; s < p-1; s++ {
		if err := sendValue(ctx, k, right, block((r+1-s+p)%p)); err != nil {
			return nil, err
		}
		x, err := recvValue[[]E](ctx, k, left)
		if err != nil {
			return nil, err
		}
		copy(block((r-s+p)%p), x)
	}
	return acc, nil
}

func sizeOf[E number](E) int {
	var e E
	switch any(e).(type) {
	case int8, uint8:
		return 1
	case int16, uint16:
		return 2
	case int32, uint32, float32:
		return 4
	}
	return 8
}
