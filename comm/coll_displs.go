package comm

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// The Into forms of the v-collectives place blocks by displacement, as
// MPI's do: block i of a buffer is buf[displs[i] : displs[i]+counts[i]].
// Blocks written must lie inside the buffer and not overlap; blocks read
// must lie inside it (Scatterv's may not overlap either: MPI reads no
// element of root's buffer twice).

// checkLayout checks counts and displs of a buffer of n elements; side
// names the buffer in errors ("receive", "send").
func checkLayout(k *coll, side string, counts, displs []int, n int, overlapOK bool) error {
	p := k.c.size
	if len(counts) != p || len(displs) != p {
		return fmt.Errorf("comm: %s: %d %s counts and %d displacements for %d ranks", k.name(), len(counts), side, len(displs), p)
	}
	var order []int // ranks with a block, by displacement
	for i := range p {
		c, d := counts[i], displs[i]
		if c < 0 {
			return fmt.Errorf("comm: %s: %s count %d for rank %d is negative", k.name(), side, c, i)
		}
		if d < 0 || d > n-c {
			return fmt.Errorf("comm: %s: %s block for rank %d, [%d, %d), is outside the %d-element buffer",
				k.name(), side, i, d, d+c, n)
		}
		if c > 0 && !overlapOK {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(displs[a], displs[b]) })
	for j := 1; j < len(order); j++ {
		a, b := order[j-1], order[j]
		if displs[b] < displs[a]+counts[a] {
			return fmt.Errorf("comm: %s: %s blocks for ranks %d, [%d, %d), and %d, [%d, %d), overlap",
				k.name(), side, a, displs[a], displs[a]+counts[a], b, displs[b], displs[b]+counts[b])
		}
	}
	return nil
}

// vbufs is what a rank publishes for a v-collective in a goroutine world:
// a buffer with its layout, and the error of its own check of them (then
// no peer reads it).
type vbufs[E any] struct {
	buf            []E
	counts, displs []int
	err            error
}

func (v *vbufs[E]) block(i int) []E { return v.buf[v.displs[i] : v.displs[i]+v.counts[i]] }

// publishedV returns rank j's published vbufs, or an error when j passed
// another type or its own layout failed its check.
func publishedV[E any](k *coll, bufs []any, j int) (*vbufs[E], error) {
	v, ok := bufs[j].(*vbufs[E])
	if !ok {
		return nil, fmt.Errorf("comm: %s: rank %d passed %T, rank %d %T", k.name(), k.c.rank, []E(nil), j, bufs[j])
	}
	if v.err != nil && j != k.c.rank {
		return nil, fmt.Errorf("comm: %s: rank %d's arguments: %w", k.name(), j, v.err)
	}
	return v, v.err
}

// countsDiffer is the error of a block whose sender and receiver count it
// differently.
func countsDiffer(k *coll, from, n, to, m int) error {
	return fmt.Errorf("comm: %s: rank %d sends %d elements to rank %d, which expects %d", k.name(), from, n, to, m)
}

// GathervInto gathers every rank's send into root's recv, rank i's at
// recv[displs[i]:displs[i]+counts[i]] (MPI_Gatherv). counts and displs
// are read at root only; counts[i] must be len(send) on rank i, and the
// blocks must lie in recv without overlapping. Root's send may be its own
// block of recv (MPI_IN_PLACE).
func GathervInto[E any](ctx context.Context, c *Comm, root int, send, recv []E, counts, displs []int) error {
	k, err := c.begin(callGatherv, root)
	if err != nil {
		return err
	}
	var layoutErr error
	if c.rank == root {
		layoutErr = checkLayout(&k, "receive", counts, displs, len(recv), false)
	}
	if c.sharedColls() && c.size > 1 {
		out := &vbufs[E]{buf: recv, counts: counts, displs: displs, err: layoutErr}
		return k.fail(sharedCall(ctx, &k, send, out, func(w *window) error {
			at, err := publishedV[E](&k, w.outs, root)
			if err != nil {
				return err
			}
			err = publishedLens[E](&k, w.ins, func(j int) int { return at.counts[j] }, func(j, got, want int) error {
				return countsDiffer(&k, j, got, root, want)
			})
			if err != nil {
				return err
			}
			if c.rank == root {
				for j := range c.size {
					copy(at.block(j), w.ins[j].([]E))
				}
			}
			return nil
		}))
	}
	if layoutErr != nil {
		return k.fail(layoutErr)
	}
	if c.rank != root {
		codec, payload, err := encodeSlice(send, c.viewsFor(root))
		if err == nil {
			err = k.sendRaw(ctx, root, codec, payload)
		}
		return k.certify(ctx, err)
	}
	if len(send) != counts[root] {
		return k.fail(countsDiffer(&k, root, len(send), root, counts[root]))
	}
	copy(recv[displs[root]:displs[root]+counts[root]], send)
	for i := range c.size {
		if i == root {
			continue
		}
		if err := recvInto(ctx, &k, i, recv[displs[i]:displs[i]+counts[i]]); err != nil {
			return k.fail(err)
		}
	}
	return k.certify(ctx, nil)
}

// ScattervInto sends root's send[displs[i]:displs[i]+counts[i]] to rank
// i, into its recv (MPI_Scatterv). counts and displs are read at root
// only; recv on rank i must have counts[i] elements. Root's recv may be
// its own block of send (MPI_IN_PLACE).
func ScattervInto[E any](ctx context.Context, c *Comm, root int, send []E, counts, displs []int, recv []E) error {
	k, err := c.begin(callScatterv, root)
	if err != nil {
		return err
	}
	var layoutErr error
	if c.rank == root {
		layoutErr = checkLayout(&k, "send", counts, displs, len(send), false)
	}
	if c.sharedColls() && c.size > 1 {
		in := &vbufs[E]{buf: send, counts: counts, displs: displs, err: layoutErr}
		return k.fail(sharedCall(ctx, &k, in, recv, func(w *window) error {
			from, err := publishedV[E](&k, w.ins, root)
			if err != nil {
				return err
			}
			err = publishedLens[E](&k, w.outs, func(j int) int { return from.counts[j] }, func(j, got, want int) error {
				return countsDiffer(&k, root, want, j, got)
			})
			if err != nil {
				return err
			}
			copy(recv, from.block(c.rank))
			return nil
		}))
	}
	if layoutErr != nil {
		return k.fail(layoutErr)
	}
	if c.rank != root {
		return k.certify(ctx, recvInto(ctx, &k, root, recv))
	}
	if len(recv) != counts[root] {
		return k.fail(countsDiffer(&k, root, counts[root], root, len(recv)))
	}
	for i := range c.size {
		if i == root {
			continue
		}
		codec, payload, err := encodeSlice(send[displs[i]:displs[i]+counts[i]], c.viewsFor(i))
		if err == nil {
			err = k.sendRaw(ctx, i, codec, payload)
		}
		if err != nil {
			return k.fail(err)
		}
	}
	copy(recv, send[displs[root]:displs[root]+counts[root]])
	return k.certify(ctx, nil)
}

// AllgathervInto gathers every rank's send into every rank's recv, rank
// i's at recv[displs[i]:displs[i]+counts[i]] (MPI_Allgatherv). Every rank
// passes the same counts and displs, with counts[i] = len(send) on rank i;
// the blocks must lie in recv without overlapping. send may be the rank's
// own block of recv (MPI_IN_PLACE).
func AllgathervInto[E any](ctx context.Context, c *Comm, send, recv []E, counts, displs []int) error {
	k, err := c.begin(callAllgatherv, 0)
	if err != nil {
		return err
	}
	layoutErr := checkLayout(&k, "receive", counts, displs, len(recv), false)
	if layoutErr == nil && len(send) != counts[c.rank] {
		layoutErr = countsDiffer(&k, c.rank, len(send), c.rank, counts[c.rank])
	}
	if c.sharedColls() && c.size > 1 {
		out := &vbufs[E]{buf: recv, counts: counts, displs: displs, err: layoutErr}
		return k.fail(sharedCall(ctx, &k, send, out, func(w *window) error {
			for j := range c.size {
				if _, err := publishedV[E](&k, w.outs, j); err != nil {
					return err
				}
			}
			for j := range c.size {
				s := w.ins[j].([]E)
				if len(s) != counts[j] {
					return countsDiffer(&k, j, len(s), c.rank, counts[j])
				}
				if dst := recv[displs[j] : displs[j]+counts[j]]; j != c.rank || !sameStart(dst, s) {
					copy(dst, s) // a rank's send in place is read by its peers meanwhile
				}
			}
			return nil
		}))
	}
	if layoutErr != nil {
		return k.fail(layoutErr)
	}
	block := func(i int) []E { return recv[displs[i] : displs[i]+counts[i]] }
	copy(block(c.rank), send)
	return ringAllgather(ctx, &k, block)
}

// AlltoallvInto sends send[sendDispls[i]:+sendCounts[i]] to rank i and
// receives rank i's block into recv[recvDispls[i]:+recvCounts[i]]
// (MPI_Alltoallv). sendCounts[j] on rank i must equal recvCounts[i] on
// rank j. Received blocks must lie in recv without overlapping; sent
// blocks must lie in send and may overlap.
func AlltoallvInto[E any](ctx context.Context, c *Comm, send []E, sendCounts, sendDispls []int, recv []E, recvCounts, recvDispls []int) error {
	k, err := c.begin(callAlltoallv, 0)
	if err != nil {
		return err
	}
	layoutErr := checkLayout(&k, "send", sendCounts, sendDispls, len(send), true)
	if layoutErr == nil {
		layoutErr = checkLayout(&k, "receive", recvCounts, recvDispls, len(recv), false)
	}
	p, r := c.size, c.rank
	if c.sharedColls() && p > 1 {
		in := &vbufs[E]{buf: send, counts: sendCounts, displs: sendDispls, err: layoutErr}
		out := &vbufs[E]{buf: recv, counts: recvCounts, displs: recvDispls, err: layoutErr}
		return k.fail(sharedCall(ctx, &k, in, out, func(w *window) error {
			// This rank checks the blocks it sends and receives, so both
			// ends of a block counted differently fail.
			for j := range p {
				from, err := publishedV[E](&k, w.ins, j)
				if err != nil {
					return err
				}
				to, err := publishedV[E](&k, w.outs, j)
				if err != nil {
					return err
				}
				if from.counts[r] != recvCounts[j] {
					return countsDiffer(&k, j, from.counts[r], r, recvCounts[j])
				}
				if sendCounts[j] != to.counts[r] {
					return countsDiffer(&k, r, sendCounts[j], j, to.counts[r])
				}
			}
			for j := range p {
				copy(recv[recvDispls[j]:recvDispls[j]+recvCounts[j]], w.ins[j].(*vbufs[E]).block(r))
			}
			return nil
		}))
	}
	if layoutErr != nil {
		return k.fail(layoutErr)
	}
	if sendCounts[r] != recvCounts[r] {
		return k.fail(countsDiffer(&k, r, sendCounts[r], r, recvCounts[r]))
	}
	copy(recv[recvDispls[r]:recvDispls[r]+recvCounts[r]], send[sendDispls[r]:sendDispls[r]+sendCounts[r]])
	for s := 1; s < p; s++ {
		dst, src := (r+s)%p, (r-s+p)%p
		codec, payload, err := encodeSlice(send[sendDispls[dst]:sendDispls[dst]+sendCounts[dst]], c.viewsFor(dst))
		if err == nil {
			err = k.sendRaw(ctx, dst, codec, payload)
		}
		if err == nil {
			err = recvInto(ctx, &k, src, recv[recvDispls[src]:recvDispls[src]+recvCounts[src]])
		}
		if err != nil {
			return k.fail(err)
		}
	}
	return nil
}

// sameStart reports whether a and b start at one address (or are both
// empty).
func sameStart[E any](a, b []E) bool {
	return len(a) == 0 || len(b) == 0 || &a[0] == &b[0]
}
