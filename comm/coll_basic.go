package comm

import (
	"context"
	"fmt"
	"slices"
)

// Barrier blocks until every rank has called it (dissemination algorithm:
// ceil(log2 p) rounds, any world size).
func (c *Comm) Barrier(ctx context.Context) error {
	h, err := c.hierarchyFor(ctx)
	if err != nil {
		return err
	}
	k, err := c.begin(callBarrier, 0)
	if err != nil {
		return err
	}
	if h != nil {
		return k.fail(hierBarrier(ctx, &k, h))
	}
	return k.fail(k.barrier(ctx))
}

// Bcast sends *v from root to every rank (binomial tree). On the other
// ranks *v is replaced by root's value.
func Bcast[T any](ctx context.Context, c *Comm, root int, v *T) error {
	h, err := c.hierarchyFor(ctx)
	if err != nil {
		return err
	}
	k, err := c.begin(callBcast, root)
	if err != nil {
		return err
	}
	if h != nil {
		return k.certifyOn(ctx, h, hierBcast(ctx, &k, h, v))
	}
	return k.certify(ctx, bcast(ctx, &k, v))
}

func bcast[T any](ctx context.Context, k *coll, v *T) error {
	if k.c.size == 1 {
		return nil
	}
	var (
		codec   uint8
		payload []byte
		err     error
	)
	if k.c.rank == int(k.root) {
		if codec, payload, err = encodeValue(*v); err != nil {
			return err
		}
	}
	if codec, payload, err = bcastPayload(ctx, k, codec, payload); err != nil || k.c.rank == int(k.root) {
		return err
	}
	return decodeValue(codec, payload, v)
}

// bcastPayload moves root's encoded payload down the binomial tree and
// returns it on every rank (root's own, which it keeps, on root).
func bcastPayload(ctx context.Context, k *coll, codec uint8, payload []byte) (uint8, []byte, error) {
	p, r, root := k.c.size, k.c.rank, int(k.root)
	vr := (r - root + p) % p
	mask := 1
	for ; mask < p; mask <<= 1 {
		if vr&mask != 0 {
			src := (vr - mask + root) % p
			f, err := k.recvFrame(ctx, src)
			if err != nil {
				return 0, nil, err
			}
			codec, payload = f.Codec, f.Payload
			break
		}
	}
	for mask >>= 1; mask > 0; mask >>= 1 {
		if vr+mask < p {
			if err := k.sendCopy(ctx, (vr+mask+root)%p, codec, payload); err != nil {
				return 0, nil, err
			}
		}
	}
	return codec, payload, nil
}

// Scatter sends vs[i] from root to rank i; every rank returns its own
// element. vs is read only at root, where len(vs) must equal Size.
func Scatter[T any](ctx context.Context, c *Comm, root int, vs []T) (T, error) {
	k, err := c.begin(callScatter, root)
	if err != nil {
		var zero T
		return zero, err
	}
	if c.rank == root && len(vs) != c.size {
		var zero T
		return zero, k.fail(fmt.Errorf("comm: Scatter: root has %d values for %d ranks", len(vs), c.size))
	}
	v, err := scatter(ctx, &k, vs)
	return v, k.certify(ctx, err)
}

func scatter[T any](ctx context.Context, k *coll, vs []T) (T, error) {
	p, r, root := k.c.size, k.c.rank, int(k.root)
	if r != root {
		return recvValue[T](ctx, k, root)
	}
	for i := range p {
		if i != root {
			if err := sendValue(ctx, k, i, vs[i]); err != nil {
				return vs[root], err
			}
		}
	}
	return vs[root], nil
}

// EvenCounts splits n items over p ranks as evenly as possible, the first
// n%p ranks getting one more.
func EvenCounts(n, p int) []int {
	counts := make([]int, p)
	for i := range counts {
		counts[i] = n / p
		if i < n%p {
			counts[i]++
		}
	}
	return counts
}

func splitByCounts[T any](v []T, counts []int, p int) ([][]T, error) {
	if counts == nil {
		counts = EvenCounts(len(v), p)
	}
	if len(counts) != p {
		return nil, fmt.Errorf("comm: %d counts for %d ranks", len(counts), p)
	}
	parts := make([][]T, p)
	off := 0
	for i, n := range counts {
		if n < 0 || off+n > len(v) {
			return nil, fmt.Errorf("comm: counts %v do not fit %d elements", counts, len(v))
		}
		parts[i] = v[off : off+n : off+n]
		off += n
	}
	if off != len(v) {
		return nil, fmt.Errorf("comm: counts %v sum to %d, not %d", counts, off, len(v))
	}
	return parts, nil
}

// Scatterv splits v at root into Size consecutive parts of counts[i]
// elements (nil counts: as even as possible) and sends part i to rank i.
func Scatterv[T any](ctx context.Context, c *Comm, root int, v []T, counts []int) ([]T, error) {
	k, err := c.begin(callScatterv, root)
	if err != nil {
		return nil, err
	}
	var parts [][]T
	if c.rank == root {
		if parts, err = splitByCounts(v, counts, c.size); err != nil {
			return nil, k.fail(fmt.Errorf("comm: Scatterv: %w", err))
		}
	}
	part, err := scatter(ctx, &k, parts)
	return slices.Clone(part), k.certify(ctx, err)
}

// Gather collects one value from every rank at root, indexed by rank.
// Other ranks get nil.
func Gather[T any](ctx context.Context, c *Comm, root int, v T) ([]T, error) {
	h, err := c.hierarchyFor(ctx)
	if err != nil {
		return nil, err
	}
	k, err := c.begin(callGather, root)
	if err != nil {
		return nil, err
	}
	out, err := gatherOn(ctx, &k, h, v)
	return out, k.certifyOn(ctx, h, err)
}

// gatherOn is gather, in stages over h when it is not nil.
func gatherOn[T any](ctx context.Context, k *coll, h *hierarchy, v T) ([]T, error) {
	if h != nil {
		return hierGather(ctx, k, h, v)
	}
	return gather(ctx, k, v)
}

func gather[T any](ctx context.Context, k *coll, v T) ([]T, error) {
	p, r, root := k.c.size, k.c.rank, int(k.root)
	if r != root {
		return nil, sendValue(ctx, k, root, v)
	}
	out := make([]T, p)
	out[root] = v
	for i := range p {
		if i == root {
			continue
		}
		x, err := recvValue[T](ctx, k, i)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}

// Gatherv concatenates every rank's slice at root, in rank order. Other
// ranks get nil.
func Gatherv[T any](ctx context.Context, c *Comm, root int, v []T) ([]T, error) {
	h, err := c.hierarchyFor(ctx)
	if err != nil {
		return nil, err
	}
	k, err := c.begin(callGatherv, root)
	if err != nil {
		return nil, err
	}
	parts, err := gatherOn(ctx, &k, h, v)
	if err = k.certifyOn(ctx, h, err); err != nil || c.rank != root {
		return nil, err
	}
	return slices.Concat(parts...), nil
}

// Allgather collects one value from every rank on every rank, indexed by
// rank (ring algorithm: p-1 steps, each rank sends and receives one block
// per step).
func Allgather[T any](ctx context.Context, c *Comm, v T) ([]T, error) {
	h, err := c.hierarchyFor(ctx)
	if err != nil {
		return nil, err
	}
	k, err := c.begin(callAllgather, 0)
	if err != nil {
		return nil, err
	}
	out, err := allgatherOn(ctx, &k, h, v)
	return out, k.fail(err)
}

// allgatherOn is allgather, in stages over h when it is not nil.
func allgatherOn[T any](ctx context.Context, k *coll, h *hierarchy, v T) ([]T, error) {
	if h != nil {
		return hierAllgather(ctx, k, h, v)
	}
	return allgather(ctx, k, v)
}

func allgather[T any](ctx context.Context, k *coll, v T) ([]T, error) {
	p, r := k.c.size, k.c.rank
	out := make([]T, p)
	out[r] = v
	if p == 1 {
		return out, nil
	}
	codecs := make([]uint8, p)
	blocks := make([][]byte, p)
	var err error
	if codecs[r], blocks[r], err = encodeValue(v); err != nil {
		return nil, err
	}
	right, left := (r+1)%p, (r-1+p)%p
	for s := 0; s < p-1; s++ {
		send := (r - s + p) % p
		if err := k.sendCopy(ctx, right, codecs[send], blocks[send]); err != nil {
			return nil, err
		}
		f, err := k.recvFrame(ctx, left)
		if err != nil {
			return nil, err
		}
		got := (r - s - 1 + p) % p
		codecs[got], blocks[got] = f.Codec, f.Payload
	}
	for i := range p {
		if i != r {
			if err := decodeValue(codecs[i], blocks[i], &out[i]); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// Allgatherv concatenates every rank's slice on every rank, in rank order.
func Allgatherv[T any](ctx context.Context, c *Comm, v []T) ([]T, error) {
	h, err := c.hierarchyFor(ctx)
	if err != nil {
		return nil, err
	}
	k, err := c.begin(callAllgatherv, 0)
	if err != nil {
		return nil, err
	}
	parts, err := allgatherOn(ctx, &k, h, v)
	if err != nil {
		return nil, k.fail(err)
	}
	return slices.Concat(parts...), nil
}
