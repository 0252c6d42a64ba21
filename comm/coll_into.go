package comm

import (
	"context"
	"fmt"
)

// The Into and InPlace collectives fill buffers of the caller's, as MPI's
// collectives do with a receive buffer (or MPI_IN_PLACE). In a goroutine
// world they move no data messages: every rank publishes its buffers in a
// window, meets the others at a barrier, copies what it needs straight
// from the peers' memory into its own, and meets them again (sharedCall).
// In a process world the data travels as messages and each is decoded
// straight into the caller's buffer.

// sharedCall runs collective k over the ranks' own memory in a goroutine
// world: every rank publishes in and out, all meet at a barrier, each runs
// move (which reads the peers' published buffers and writes its own out),
// and all meet again, after which no rank touches another's memory. move
// sees every rank's buffers, so a check of their lengths fails alike on
// every rank.
func sharedCall(ctx context.Context, k *coll, in, out any, move func(w *window) error) error {
	proc := k.c.proc
	w := proc.window(k.seq, k.c.size)
	defer proc.leave(k.seq, w)
	proc.publish(w, k.c.rank, in, out)
	if err := k.barrier(ctx); err != nil {
		return err
	}
	err := move(w)
	if berr := k.barrier(ctx); err == nil {
		err = berr
	}
	return err
}

// published returns rank j's published buffer (ins or outs) as a []E, or
// an error naming both ranks' types when j passed another.
func published[E any](k *coll, bufs []any, j int) ([]E, error) {
	s, ok := bufs[j].([]E)
	if !ok {
		return nil, fmt.Errorf("comm: %s: rank %d passed %T, rank %d %T", k.name(), k.c.rank, []E(nil), j, bufs[j])
	}
	return s, nil
}

// publishedLens checks a shared-memory call's buffers: every rank's in
// bufs must be a []E, and rank j's must have want(j) elements (any number
// where want(j) is negative). The first that has not fails the call with
// differ(j, its length, want(j)).
func publishedLens[E any](k *coll, bufs []any, want func(j int) int, differ func(j, got, want int) error) error {
	for j := range k.c.size {
		s, err := published[E](k, bufs, j)
		if err != nil {
			return err
		}
		if n := want(j); n >= 0 && len(s) != n {
			return differ(j, len(s), n)
		}
	}
	return nil
}

// encodeSlice encodes s as a []E: a raw slice as a view of s when asView
// (for a payload the transport or the callee copies), else as a copy.
func encodeSlice[E any](s []E, asView bool) (uint8, []byte, error) {
	codec := sliceCodec[E]()
	switch {
	case codec == codecMsgpack:
		return encodeValue(s)
	case s == nil:
		return codecNil, nil, nil
	case asView:
		return codec, view(s), nil
	}
	return codec, rawCopy(s), nil
}

// recvInto receives the next frame of k from src into buf, which the
// message must fill exactly.
func recvInto[E any](ctx context.Context, k *coll, src int, buf []E) error {
	f, err := k.recvFrame(ctx, src)
	if err != nil {
		return err
	}
	return decodeExact(k, f.Codec, f.Payload, src, buf)
}

// decodeExact decodes a payload from src into buf, which it must fill.
func decodeExact[E any](k *coll, codec uint8, payload []byte, src int, buf []E) error {
	n, err := decodeInto(codec, payload, buf)
	if err != nil {
		return intoError(err, k.name(), src, -1, len(buf))
	}
	if n != len(buf) {
		return fmt.Errorf("comm: %s: %d elements from rank %d for a block of %d: the lengths must agree", k.name(), n, src, len(buf))
	}
	return nil
}

// lengthsDiffer is the error of a shared-memory collective whose ranks
// passed buffers of different lengths.
func lengthsDiffer(k *coll, what string, r, nr, j, nj int) error {
	return fmt.Errorf("comm: %s: rank %d's %s has %d elements, rank %d's %d: the lengths must agree", k.name(), r, what, nr, j, nj)
}

// BcastInto sends root's buf to every rank, into buf there (MPI_Bcast):
// every rank passes a buffer of the same length, and a rank whose length
// differs from root's fails with an error naming both.
func BcastInto[E any](ctx context.Context, c *Comm, root int, buf []E) error {
	k, err := c.begin(callBcast, root)
	if err != nil || c.size == 1 {
		return err
	}
	if c.sharedColls() {
		return k.fail(sharedCall(ctx, &k, buf, buf, func(w *window) error {
			src, err := published[E](&k, w.ins, root)
			if err != nil {
				return err
			}
			err = publishedLens[E](&k, w.ins, func(int) int { return len(src) }, func(j, got, want int) error {
				return lengthsDiffer(&k, "buffer", j, got, root, want)
			})
			if err != nil {
				return err
			}
			if c.rank != root {
				copy(buf, src)
			}
			return nil
		}))
	}
	var codec uint8
	var payload []byte
	if c.rank == root {
		if codec, payload, err = encodeSlice(buf, true); err != nil { // sendCopy copies where needed
			return k.fail(err)
		}
	}
	codec, payload, err = bcastPayload(ctx, &k, codec, payload)
	if err == nil && c.rank != root {
		err = decodeExact(&k, codec, payload, root, buf)
	}
	return k.certify(ctx, err)
}
