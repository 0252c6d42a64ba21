package comm

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
	"unsafe"
)

// In a goroutine world whose ranks each have a processor, an Allreduce of a
// few numbers needs no messages either: every rank writes its contribution
// into a cache line of its own (a cell) and reads everyone else's, and all
// ranks fold the contributions in rank order, so every rank gets the same
// bits. Two ranks then move one line each way, where the exchange of two
// messages costs about twice that and the encoding on top.
//
// The protocol keeps the rules of the message path:
//   - No mismatched call hangs. Every rank announces each collective call
//     it begins (its sequence number and operation, and whether it uses the
//     cells) in a word of its own. A rank waiting for a peer's cell that
//     sees the peer in a different call fails with a *MismatchError, and
//     sends every peer a frame of its call that fails any peer waiting for
//     messages of the same call (see mismatchNotice). A rank parked in a
//     collective waiting for a frame from a peer fails too once the peer
//     announces a later call (see movedOn): a peer gone on to the cells
//     sends no frame that would tell it. Under Run the first failure aborts
//     the rest.
//   - No contribution is overwritten while it is read. Each rank has two
//     cells, used by calls of even and odd sequence numbers; before rank r
//     writes call k's cell it waits until every peer has announced call
//     k-1, by which time none still reads r's call k-2.
//   - No wait outlives its cause: a waiting rank watches ctx, aborts of its
//     own mailbox (a failed rank aborts the world), and peers that left.

// cellBytes is the largest contribution that fits a cell.
const cellBytes = 48

// cells are a goroutine world's shared-memory collective state: one
// rankCells per rank, each 64-byte aligned (allocated apart, in a size
// class of 256 bytes).
type cells struct {
	ranks  []*rankCells
	closed []atomic.Bool // the local world's: ranks that left
}

type rankCells struct {
	ann  atomic.Uint64 // the call this rank is in: see announcement
	_    [56]byte
	cell [2]cell // for calls of even and odd sequence number

	// A rank that has waited long, for a cell or for a collective's
	// frame, parks: it sets parked, looks once more, and blocks on wake,
	// which a peer that announces a call or writes a cell signals after its
	// store (see wakeParked).
	parked atomic.Bool
	wake   chan struct{} // capacity 1
	_      [64 - 16]byte
}

type cell struct {
	seq  atomic.Int64 // the call whose contribution this is (-1: none yet)
	meta uint64       // what was reduced: element type, op and length
	data [cellBytes]byte
}

// newCells returns the cells of an n-rank goroutine world, or nil when its
// ranks cannot all poll at once (more ranks than processors): then waiting
// would take the processor from the rank it waits for.
func newCells(n int, closed []atomic.Bool) *cells {
	if n < 2 || n > runtime.GOMAXPROCS(0) || n > maxCellRanks {
		return nil
	}
	cs := &cells{ranks: make([]*rankCells, n), closed: closed}
	for i := range cs.ranks {
		rc := &rankCells{wake: make(chan struct{}, 1)}
		rc.cell[0].seq.Store(-1)
		rc.cell[1].seq.Store(-1)
		cs.ranks[i] = rc
	}
	return cs
}

// maxCellRanks keeps an announcement's root in its 16 bits.
const maxCellRanks = 1 << 15

// An announcement packs a call: (seq+1)<<24 | root<<8 | call<<1 | cellsFlag;
// zero means no call yet.
const annCells = 1

func announcement(seq int64, call collCall, root int32, viaCells bool) uint64 {
	a := uint64(seq+1)<<24 | uint64(uint16(root))<<8 | uint64(call)<<1
	if viaCells {
		a |= annCells
	}
	return a
}

func annSeq(a uint64) int64 { return int64(a>>24) - 1 }

// announce publishes that rank begins call seq.
func (cs *cells) announce(rank int, seq int64, call collCall, root int32, viaCells bool) {
	cs.ranks[rank].ann.Store(announcement(seq, call, root, viaCells))
	cs.wakeParked(rank)
}

// wakeParked wakes the peers of rank that have parked, after rank stored
// what they may wait for. A parked rank stores its flag before it looks a
// last time, and rank stores before it reads the flag, so one of the two
// sees the other's store (Go's atomics are sequentially consistent).
func (cs *cells) wakeParked(rank int) {
	for j, rc := range cs.ranks {
		if j != rank && rc.parked.Load() {
			select {
			case rc.wake <- struct{}{}:
			default: // a wake-up is pending already
			}
		}
	}
}

// cellsScalar is numericAllreduce of a number: through the cells, as a
// slice of one, in a world that has them.
func cellsScalar[E number](ctx context.Context, c *Comm, v E, op Op) (any, bool, error) {
	if c.proc.cells == nil {
		return nil, false, nil
	}
	in, out := [1]E{v}, [1]E{}
	err := cellReduce(ctx, c, in[:], out[:], op)
	return out[0], true, err
}

// cellReduce is one Allreduce through the cells: op over every rank's in,
// folded in rank order, into out (len(in)).
func cellReduce[E number](ctx context.Context, c *Comm, in, out []E, op Op) error {
	k, err := c.beginOn(callAllreduce, 0, true)
	if err != nil {
		return err
	}
	k.red = op.ident()
	if err := k.checkBegun(); err != nil {
		return err
	}
	cs, r, p := c.proc.cells, c.rank, c.size
	slot := k.seq & 1
	if k.seq >= 2 && c.cellsSeen < k.seq-1 { // the previous call was not through the cells
		for j := range p {
			if j != r {
				if err := k.awaitCell(ctx, cs, j, func(j int, _ bool) (bool, error) {
					return annSeq(cs.ranks[j].ann.Load()) >= k.seq-1, nil
				}); err != nil {
					return k.fail(err)
				}
			}
		}
	}
	var e E
	meta := uint64(len(in)) | uint64(sizeOf(e))<<16 | uint64(elemKind(e))<<24 | uint64(op.kind)<<32
	mine := &cs.ranks[r].cell[slot]
	mine.meta = meta
	copy(cellView[E](mine, len(in)), in)
	mine.seq.Store(k.seq)
	cs.wakeParked(r)

	for j := range p {
		x := in
		if j != r {
			theirs := &cs.ranks[j].cell[slot]
			if err := k.awaitCell(ctx, cs, j, func(j int, look bool) (bool, error) { return k.cellReady(cs, j, theirs, look) }); err != nil {
				return k.fail(err)
			}
			if theirs.meta != meta {
				return k.fail(metaMismatch(k.seq, r, meta, j, theirs.meta))
			}
			x = cellView[E](theirs, len(in))
		}
		if j == 0 {
			copy(out, x)
		} else {
			_ = applyInto(op, out, out, x)
		}
	}
	c.cellsSeen = k.seq
	return nil
}

// cellView is the first n elements of c's data as []E.
func cellView[E number](c *cell, n int) []E {
	return unsafe.Slice((*E)(unsafe.Pointer(&c.data[0])), n)
}

// cellReady reports whether peer j's cell holds its contribution to call
// k; with look, it also reads j's announcement and fails if j is in
// another call. (Reading it on every poll would pull the line away from j,
// which writes it at the start of every call.)
func (k *coll) cellReady(cs *cells, j int, theirs *cell, look bool) (bool, error) {
	if theirs.seq.Load() == k.seq {
		return true, nil
	}
	if !look {
		return false, nil
	}
	a := cs.ranks[j].ann.Load()
	seq := annSeq(a)
	if seq < k.seq || seq == k.seq && a&annCells != 0 {
		return false, nil // not there yet, or about to write its cell
	}
	if theirs.seq.Load() == k.seq { // written before it moved on
		return true, nil
	}
	peer := annCall(a)
	if collCall(a>>1&0x7f) == callAllreduce {
		peer = "Allreduce of another type, length or op"
	}
	if seq != k.seq {
		peer = fmt.Sprintf("%s as its call #%d", peer, seq)
	}
	k.mismatchNotice(context.Background())
	return false, &MismatchError{Seq: k.seq, Rank: k.c.rank, Call: k.name(), Peer: j, PeerCall: peer}
}

// annCall names the call of announcement a, as callName does.
func annCall(a uint64) string { return callName(collCall(a>>1&0x7f), int32(uint16(a>>8)), 0) }

// movedOn returns, in a world with cells, what a parked wait of call k for
// a frame from src watches: src announcing a later call means it called
// something else here. (Had it made this call, it would have sent the frame
// before moving on, and frames from one source arrive in order.) Over
// messages src's next frame would tell; through the cells it sends none.
// Announcements wake parked ranks (wakeParked). Without cells it returns
// nil.
func (k *coll) movedOn(src int) *watch {
	cs := k.c.proc.cells
	if cs == nil {
		return nil
	}
	me := cs.ranks[k.c.rank]
	return &watch{parked: &me.parked, wake: me.wake, check: func() error {
		a := cs.ranks[src].ann.Load()
		if seq := annSeq(a); seq > k.seq {
			return &MismatchError{Seq: k.seq, Rank: k.c.rank, Call: k.name(), Peer: src,
				PeerCall: fmt.Sprintf("%s as its call #%d", annCall(a), seq)}
		}
		return nil
	}}
}

// argCells marks the frame a rank in a cell Allreduce sends its peers when
// it finds a mismatch: a peer waiting for messages of call k.seq takes it as
// a call of another kind (waitFrame checks the root) and fails too.
const argCells int32 = -2

// mismatchNotice sends every peer a frame of k that fails their wait.
func (k *coll) mismatchNotice(ctx context.Context) {
	for j := range k.c.size {
		if j != k.c.rank {
			f := k.frame(codecNone, nil)
			f.Arg = argCells
			_ = k.c.t.Send(ctx, j, f) // a peer that left has nothing to fail
		}
	}
}

// Polling schedule of awaitCell: without yielding, then yielding, then
// parked until a peer's store wakes it, or cellRecheck passes (to notice
// an abort or a peer that left), so a rank waiting long for a busy peer
// costs next to nothing.
const (
	cellHotPolls   = 4096
	cellYieldPolls = 256
	cellRecheck    = 10 * time.Millisecond
)

// awaitCell polls ready(j, look) until it reports true or an error,
// failing when ctx ends, this rank's world aborts, or peer j leaves first.
// look is set on every 64th poll and once polling slows down: the times to
// check for a mismatch.
func (k *coll) awaitCell(ctx context.Context, cs *cells, j int, ready func(j int, look bool) (bool, error)) error {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	me := cs.ranks[k.c.rank]
	for i := 0; ; i++ {
		if ok, err := ready(j, i%64 == 63 || i >= cellHotPolls); ok || err != nil {
			return err
		}
		if i < cellHotPolls {
			continue
		}
		if err := ctx.Err(); err != nil {
			if aerr := k.c.mb.aborted(); aerr != nil {
				err = aerr // Run aborts before it cancels: report the cause
			}
			return k.wrap(err)
		}
		if err := k.c.mb.aborted(); err != nil {
			return k.wrap(err)
		}
		if cs.closed[j].Load() {
			if ok, err := ready(j, true); ok || err != nil { // what it did before leaving
				return err
			}
			return fmt.Errorf("comm: %s: %w", k.name(),
				&RankFailedError{Rank: j, Reason: "exited before its part of the call"})
		}
		if i < cellHotPolls+cellYieldPolls {
			runtime.Gosched()
			continue
		}
		me.parked.Store(true)
		if ok, err := ready(j, true); ok || err != nil {
			me.parked.Store(false)
			return err
		}
		if timer == nil {
			timer = time.NewTimer(cellRecheck)
		} else {
			timer.Reset(cellRecheck)
		}
		select {
		case <-me.wake:
		case <-timer.C:
		case <-ctx.Done():
		}
		me.parked.Store(false)
	}
}

// elemKind tells element types of one size apart in a cell's meta.
func elemKind[E number](e E) int {
	switch any(e).(type) {
	case float32, float64:
		return 1
	case int, int8, int16, int32, int64:
		return 2
	}
	return 3
}

// metaMismatch is the error of ranks a and b passing Allreduces of other
// shapes (element type or count) in call seq: calls of other signatures.
func metaMismatch(seq int64, a int, am uint64, b int, bm uint64) error {
	return &MismatchError{Seq: seq, Rank: a, Call: "Allreduce of " + describeMeta(am), Peer: b, PeerCall: "Allreduce of " + describeMeta(bm)}
}

func describeMeta(m uint64) string {
	kinds := map[uint64]string{1: "float", 2: "int", 3: "uint"}
	what := fmt.Sprintf("%d × %s%d", m&0xffff, kinds[m>>24&0xff], 8*(m>>16&0xff))
	ops := map[opKind]string{opSum: "Sum", opProd: "Prod", opMin: "Min", opMax: "Max"}
	return fmt.Sprintf("%s with %s", what, ops[opKind(m>>32&0xff)])
}
