package comm

import (
	"context"
	"fmt"
	"reflect"
	"unsafe"
)

// In a goroutine world the ranks can read and write each other's memory, so
// a large Allreduce of a numeric slice needs no data messages at all. Every
// rank publishes its input and its output (a fresh one for Allreduce, the
// caller's for AllreduceInto) in a window (below) and waits at a barrier; then rank r reduces segment r of the inputs once and writes
// it into every rank's output; a second barrier ends the call, after which no
// rank touches another's memory. Each rank reads and writes len(v) elements
// whatever the world size, where recursive doubling over copies moves
// log2(p) copies and the ring 2(p-1)/p of the vector in copies. The
// barriers are ordinary collective frames, so a mismatched call still
// fails on every rank.

// window is where the ranks of one collective call publish their buffers.
type window struct {
	ins, outs []any
	// Slices published without boxing (publishSlice): the first element
	// of the input and of the output, their length and element type.
	bases, outBases []unsafe.Pointer
	lens            []int
	elems           []reflect.Type
	left            int // ranks that have not finished with it
}

// window returns the window of collective call seq, made by its first
// caller (from the spare one the last call left, if it fits).
func (p *process) window(seq int64, size int) *window {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.windows == nil {
		p.windows = make(map[int64]*window)
	}
	w := p.windows[seq]
	if w == nil {
		if w, p.spare = p.spare, nil; w == nil || len(w.ins) != size {
			w = &window{ins: make([]any, size), outs: make([]any, size),
				bases: make([]unsafe.Pointer, size), outBases: make([]unsafe.Pointer, size),
				lens: make([]int, size), elems: make([]reflect.Type, size)}
		}
		w.left = size
		p.windows[seq] = w
	}
	return w
}

// publishSlice stores rank's input and output in w: where each starts,
// their length n and element type.
func (p *process) publishSlice(w *window, rank int, in, out unsafe.Pointer, n int, elem reflect.Type) {
	p.mu.Lock()
	w.bases[rank], w.outBases[rank], w.lens[rank], w.elems[rank] = in, out, n, elem
	p.mu.Unlock()
}

// publish stores rank's buffers in w.
func (p *process) publish(w *window, rank int, in, out any) {
	p.mu.Lock()
	w.ins[rank], w.outs[rank] = in, out
	p.mu.Unlock()
}

// leave marks one rank done with the window of call seq; the last removes it.
func (p *process) leave(seq int64, w *window) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if w.left--; w.left == 0 {
		delete(p.windows, seq)
		clear(w.ins)
		clear(w.outs)
		clear(w.bases)
		clear(w.outBases)
		p.spare = w
	}
}

// builtinElementwise reports whether op is Sum, Prod, Min or Max.
func builtinElementwise(op Op) bool {
	return op.kind == opSum || op.kind == opProd || op.kind == opMin || op.kind == opMax
}

// sharedReduce reduces every rank's v into every rank's out (len(v) each;
// out may be v: rank r reads only segment r of the inputs, and writes
// segment r of the outputs after it has read them all).
func sharedReduce[E number](ctx context.Context, k *coll, v, out []E, op Op) error {
	p, r := k.c.size, k.c.rank
	proc := k.c.proc
	w := proc.window(k.seq, p)
	defer proc.leave(k.seq, w)
	proc.publish(w, r, v, out)
	if err := k.barrier(ctx); err != nil {
		return err
	}
	ins, outs := make([][]E, p), make([][]E, p)
	for j := range p {
		in, ok1 := w.ins[j].([]E)
		o, ok2 := w.outs[j].([]E)
		if !ok1 || !ok2 || len(in) != len(v) {
			// Every rank sees every input, so every rank fails alike.
			return fmt.Errorf("comm: Allreduce: rank %d passed %T of length %d, rank %d passed %T of length %d",
				r, v, len(v), j, w.ins[j], lenOf(w.ins[j]))
		}
		ins[j], outs[j] = in, o
	}
	lo, hi := share(len(v), p, r)
	seg := out[lo:hi]
	if p > 2 && r >= 2 && hi > lo && &out[lo] == &v[lo] {
		// In place: folding in rank order would overwrite this rank's own
		// input before its turn.
		seg = make([]E, hi-lo)
	}
	if err := applyInto(op, seg, ins[0][lo:hi], ins[1][lo:hi]); err != nil {
		return err
	}
	for j := 2; j < p; j++ {
		_ = applyInto(op, seg, seg, ins[j][lo:hi])
	}
	for j := range p {
		if hi > lo && (j != r || &seg[0] != &out[lo]) { // the temporary goes to this rank's out too
			copy(outs[j][lo:hi], seg)
		}
	}
	return k.barrier(ctx)
}

// share is rank r's share [lo, hi) of n elements split as EvenCounts does.
func share(n, p, r int) (lo, hi int) {
	q, rem := n/p, n%p
	lo = r*q + min(r, rem)
	hi = lo + q
	if r < rem {
		hi++
	}
	return lo, hi
}

// lenOf is the length of a published slice (0 for anything else).
func lenOf(x any) int {
	if v := reflect.ValueOf(x); v.Kind() == reflect.Slice {
		return v.Len()
	}
	return 0
}

// barrier is a dissemination barrier inside collective k.
func (k *coll) barrier(ctx context.Context) error {
	p, r := k.c.size, k.c.rank
	for dist := 1; dist < p; dist *= 2 {
		from := (r - dist + p) % p
		w := k.postRecv(from)
		if err := k.ack(ctx, (r+dist)%p); err != nil {
			k.dropRecv(w)
			return err
		}
		f, err := k.waitFrame(ctx, w, from)
		if err == nil && f.Codec != codecNone {
			err = k.notAck(from, f)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
