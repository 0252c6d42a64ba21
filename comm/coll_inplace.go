package comm

import (
	"context"
	"fmt"
)

// The InPlace collectives are MPI's with MPI_IN_PLACE: one buffer per rank
// is both what it gives and what it gets. A buffer of Size blocks holds
// rank r's block at [r*n, (r+1)*n), n = len(buf)/Size.

// blockLen is the block length of a buffer of Size blocks, or an error
// naming the call when len(buf) does not divide by Size.
func blockLen(k *coll, l int) (int, error) {
	if l%k.c.size != 0 {
		return 0, fmt.Errorf("comm: %s: a buffer of %d elements is not %d equal blocks", k.name(), l, k.c.size)
	}
	return l / k.c.size, nil
}

// beginRootBlocks begins a rooted in-place call on a buffer of l
// elements; n is its block length: l/Size at root, l elsewhere.
func beginRootBlocks(c *Comm, call collCall, root, l int) (k coll, n int, err error) {
	if k, err = c.begin(call, root); err != nil {
		return k, 0, err
	}
	n = l
	if c.rank == root {
		if n, err = blockLen(&k, l); err != nil {
			return k, 0, k.fail(err)
		}
	}
	return k, n, nil
}

// AllgatherInPlace gathers every rank's block into every rank's buf:
// buf holds Size blocks of len(buf)/Size elements, rank r's already at
// block r, and the call fills the others (MPI_Allgather with
// MPI_IN_PLACE). Every rank passes the same length.
func AllgatherInPlace[E any](ctx context.Context, c *Comm, buf []E) error {
	k, err := c.begin(callAllgather, 0)
	if err != nil {
		return err
	}
	n, err := blockLen(&k, len(buf))
	if err != nil || c.size == 1 {
		return k.fail(err)
	}
	if c.sharedColls() {
		return k.fail(sharedCall(ctx, &k, buf, buf, func(w *window) error {
			err := publishedLens[E](&k, w.ins, func(int) int { return len(buf) }, func(j, got, want int) error {
				return lengthsDiffer(&k, "buffer", c.rank, want, j, got)
			})
			if err != nil {
				return err
			}
			for j := range c.size {
				if j != c.rank {
					copy(buf[j*n:(j+1)*n], w.ins[j].([]E)[j*n:(j+1)*n])
				}
			}
			return nil
		}))
	}
	return ringAllgather(ctx, &k, func(i int) []E { return buf[i*n : (i+1)*n] })
}

// ringAllgather is the ring of Allgather over the blocks of one buffer,
// this rank's already in place: in step s rank r passes block r-s on to
// the right and receives block r-s-1 from the left.
func ringAllgather[E any](ctx context.Context, k *coll, block func(i int) []E) error {
	p, r := k.c.size, k.c.rank
	right, left := (r+1)%p, (r-1+p)%p
	for s := 0; s < p-1; s++ {
		codec, payload, err := encodeSlice(block((r-s+p)%p), k.c.viewsFor(right))
		if err == nil {
			err = k.sendRaw(ctx, right, codec, payload)
		}
		if err == nil {
			err = recvInto(ctx, k, left, block((r-s-1+p)%p))
		}
		if err != nil {
			return k.fail(err)
		}
	}
	return nil
}

// GatherInPlace gathers every rank's buf into root's (MPI_Gather with
// MPI_IN_PLACE at root): at root buf holds Size blocks, root's own
// already at block root; elsewhere buf is the rank's block.
func GatherInPlace[E any](ctx context.Context, c *Comm, root int, buf []E) error {
	k, n, err := beginRootBlocks(c, callGather, root, len(buf))
	if err != nil || c.size == 1 {
		return err
	}
	if c.sharedColls() {
		return k.fail(sharedCall(ctx, &k, buf, buf, func(w *window) error {
			_, n, err := rootBlocks[E](&k, w, root)
			if err != nil {
				return err
			}
			if c.rank == root {
				for j := range c.size {
					if j != root {
						copy(buf[j*n:(j+1)*n], w.ins[j].([]E))
					}
				}
			}
			return nil
		}))
	}
	if c.rank != root {
		codec, payload, err := encodeSlice(buf, c.viewsFor(root))
		if err == nil {
			err = k.sendRaw(ctx, root, codec, payload)
		}
		return k.certify(ctx, err)
	}
	for i := range c.size {
		if i != root {
			if err := recvInto(ctx, &k, i, buf[i*n:(i+1)*n]); err != nil {
				return k.fail(err)
			}
		}
	}
	return k.certify(ctx, nil)
}

// ScatterInPlace scatters root's buf (Size blocks) to every rank's buf
// (MPI_Scatter with MPI_IN_PLACE at root): rank i gets block i, root
// keeps its own where it is.
func ScatterInPlace[E any](ctx context.Context, c *Comm, root int, buf []E) error {
	k, n, err := beginRootBlocks(c, callScatter, root, len(buf))
	if err != nil || c.size == 1 {
		return err
	}
	if c.sharedColls() {
		return k.fail(sharedCall(ctx, &k, buf, buf, func(w *window) error {
			rootBuf, n, err := rootBlocks[E](&k, w, root)
			if err != nil {
				return err
			}
			if c.rank != root {
				copy(buf, rootBuf[c.rank*n:(c.rank+1)*n])
			}
			return nil
		}))
	}
	if c.rank != root {
		return k.certify(ctx, recvInto(ctx, &k, root, buf))
	}
	for i := range c.size {
		if i == root {
			continue
		}
		codec, payload, err := encodeSlice(buf[i*n:(i+1)*n], c.viewsFor(i))
		if err == nil {
			err = k.sendRaw(ctx, i, codec, payload)
		}
		if err != nil {
			return k.fail(err)
		}
	}
	return k.certify(ctx, nil)
}

// ReduceInPlace combines every rank's buf element-wise with op and stores
// the result in root's buf (MPI_Reduce with MPI_IN_PLACE at root); the
// other ranks' bufs are left as they were. It is Reduce on the wire, so
// ranks may mix the two.
func ReduceInPlace[E any](ctx context.Context, c *Comm, root int, buf []E, op Op) error {
	if err := c.canBegin(callReduce, root); err != nil {
		return err
	}
	if _, ok, err := sharedColl(ctx, c, callReduce, root, any(&buf), op, true); ok {
		return err
	}
	out, err := Reduce(ctx, c, root, buf, op)
	if err == nil && c.rank == root {
		err = fitResult("ReduceInPlace", buf, out)
	}
	return err
}

// ScanInPlace replaces buf with op over the bufs of ranks 0..Rank,
// element-wise (MPI_Scan with MPI_IN_PLACE).
func ScanInPlace[E any](ctx context.Context, c *Comm, buf []E, op Op) error {
	if _, ok, err := sharedColl(ctx, c, callScan, 0, any(&buf), op, true); ok {
		return err
	}
	out, err := Scan(ctx, c, buf, op)
	if err == nil {
		err = fitResult("ScanInPlace", buf, out)
	}
	return err
}

// fitResult copies a reduction's result into buf, which it must fill.
func fitResult[E any](call string, buf, out []E) error {
	if len(out) != len(buf) {
		return fmt.Errorf("comm: %s: the result has %d elements, the buffer %d", call, len(out), len(buf))
	}
	copy(buf, out)
	return nil
}

// rootBlocks checks, in a shared-memory window of a rooted in-place call,
// that every rank other than root published one block of root's buffer's
// block length; it returns root's buffer and that length.
func rootBlocks[E any](k *coll, w *window, root int) (rootBuf []E, n int, err error) {
	if rootBuf, err = published[E](k, w.ins, root); err != nil {
		return nil, 0, err
	}
	n = len(rootBuf) / k.c.size
	err = publishedLens[E](k, w.ins, func(j int) int {
		if j == root {
			return -1
		}
		return n
	}, func(j, got, want int) error {
		return lengthsDiffer(k, "block", j, got, root, want)
	})
	if err != nil {
		return nil, 0, err
	}
	return rootBuf, n, nil
}
