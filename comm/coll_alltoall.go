package comm

import (
	"context"
	"fmt"
	"slices"
)

// Alltoall sends vs[i] to rank i and returns the values received, indexed
// by source rank (pairwise exchange: in step s rank r sends to r+s and
// receives from r-s, so no rank is ever flooded). len(vs) must be Size.
func Alltoall[T any](ctx context.Context, c *Comm, vs []T) ([]T, error) {
	h, err := c.hierarchyFor(ctx)
	if err != nil {
		return nil, err
	}
	k, err := c.begin(callAlltoall, 0)
	if err != nil {
		return nil, err
	}
	if len(vs) != c.size {
		return nil, k.fail(fmt.Errorf("comm: Alltoall: %d values for %d ranks", len(vs), c.size))
	}
	out, err := alltoallOn(ctx, &k, h, vs)
	return out, k.fail(err)
}

// alltoallOn is alltoall, in stages over h when it is not nil.
func alltoallOn[T any](ctx context.Context, k *coll, h *hierarchy, vs []T) ([]T, error) {
	if h != nil {
		return hierAlltoall(ctx, k, h, vs)
	}
	return alltoall(ctx, k, vs)
}

func alltoall[T any](ctx context.Context, k *coll, vs []T) ([]T, error) {
	p, r := k.c.size, k.c.rank
	out := make([]T, p)
	out[r] = vs[r]
	for s := 1; s < p; s++ {
		dst, src := (r+s)%p, (r-s+p)%p
		if err := sendValue(ctx, k, dst, vs[dst]); err != nil {
			return nil, err
		}
		x, err := recvValue[T](ctx, k, src)
		if err != nil {
			return nil, err
		}
		out[src] = x
	}
	return out, nil
}

// Alltoallv sends counts[i] consecutive elements of send to rank i and
// returns everything received, concatenated in source-rank order, with
// the number of elements that came from each rank.
func Alltoallv[T any](ctx context.Context, c *Comm, send []T, counts []int) ([]T, []int, error) {
	h, err := c.hierarchyFor(ctx)
	if err != nil {
		return nil, nil, err
	}
	k, err := c.begin(callAlltoallv, 0)
	if err != nil {
		return nil, nil, err
	}
	parts, err := splitByCounts(send, counts, c.size)
	if err != nil {
		return nil, nil, k.fail(fmt.Errorf("comm: Alltoallv: %w", err))
	}
	got, err := alltoallOn(ctx, &k, h, parts)
	if err != nil {
		return nil, nil, k.fail(err)
	}
	recvCounts := make([]int, len(got))
	for i, g := range got {
		recvCounts[i] = len(g)
	}
	return slices.Concat(got...), recvCounts, nil
}
