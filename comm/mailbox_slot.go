package comm

import (
	"context"
	"encoding/binary"
	"errors"
	"runtime"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/gorun-dev/gorun/comm/transport"
)

// handoff is the mailbox's lock-free direct hand-off: one posted receive
// whose match key, state and arriving frame share a single cache line.
//
// A receive is posted here (under the mailbox lock, when no older receive
// is posted and no queued frame matches it) instead of on the posted list.
// A sender then claims it with one compare-and-swap on the state word,
// writes the frame into the same line (a payload of up to 8 bytes inline)
// and publishes it with one store, without taking the mailbox lock. The
// receiver polls that word. A message thus moves one line to the sender and
// back, where the locked path moves the lock's line, the waiter's lines and
// the payload's line in each direction (a cache line moved between cores is
// the main cost of a message).
//
// The hand-off is always the oldest posted receive, so a frame that matches
// it belongs to it; a sender that finds it not posted, or not matching,
// takes the lock and checks it again there (a receive may have been posted
// in between), then the posted list, then queues the frame.
type handoff struct {
	// state is gen<<32 | want<<16 | kind<<8 | flags | phase. The generation changes
	// with every post, so a sender's claim fails if the receive it matched
	// was withdrawn and another posted meanwhile.
	state atomic.Uint64
	key   atomic.Uint64 // ctx<<32 | uint32(src): the posted receive's match key
	tag   atomic.Int64  // its tag, or AnyTag

	// The frame, written by the claiming sender, read by the receiver once
	// the phase is slotDone.
	codec   uint8
	op      uint8
	nilData bool // the payload was nil (not merely empty)
	_       uint8
	arg     int32
	src     int32
	n       uint32 // length of a payload of up to 8 bytes
	ftag    int64
	data    unsafe.Pointer // payload of more than 8 bytes, owned by the receiver
	small   uint64         // a payload of up to 8 bytes, little-endian; else data's length
}

const (
	slotFree    uint64 = 0 // no receive posted
	slotPosted  uint64 = 1 // a receive waits for a matching frame
	slotClaimed uint64 = 2 // a sender (or a failure) is writing the outcome
	slotDone    uint64 = 3 // the outcome is written; the receiver takes it

	slotPhase  uint64 = 3
	slotParked uint64 = 4 // the receiver blocks on slotWake
	slotFailed uint64 = 8 // with slotDone: slotErr instead of a frame

	slotKindShift = 8
	slotWantShift = 16
	slotGenShift  = 32
)

func slotKey(comm uint32, src int32) uint64 { return uint64(comm)<<32 | uint64(uint32(src)) }

// canPostSlot reports whether w may take the hand-off: it is free, no
// older receive is posted, and w is a point-to-point receive (not a
// probe). m.mu must be held.
//
// Collectives keep the locked path: with their receives on the hand-off,
// the large shared-memory Allreduce is slower (BenchmarkAllreduceInto,
// 1 MiB; docs/performance.md).
func (m *mailbox) canPostSlot(w *waiter) bool {
	return !w.peek && w.kind == transport.KindP2P && m.posted.len() == 0 && m.slot.state.Load()&slotPhase == slotFree
}

// postSlot posts w on the hand-off. m.mu must be held and canPostSlot(w)
// true.
func (m *mailbox) postSlot(w *waiter) {
	s := &m.slot
	s.key.Store(slotKey(w.comm, w.src))
	s.tag.Store(w.tag)
	gen := s.state.Load()>>slotGenShift + 1
	s.state.Store(gen<<slotGenShift | uint64(w.want)<<slotWantShift | uint64(w.kind)<<slotKindShift | slotPosted)
	w.slot = m
}

// offerSlot hands f to the posted hand-off receive if it matches, and
// reports whether it did. Senders call it with or without m.mu.
func (m *mailbox) offerSlot(f *transport.Frame) bool {
	s := &m.slot
	for {
		st := s.state.Load()
		if st&slotPhase != slotPosted || transport.Kind(st>>slotKindShift) != f.Kind {
			return false
		}
		k := s.key.Load()
		if uint32(k>>32) != f.Comm {
			return false
		}
		if src := int32(uint32(k)); src != AnySource && src != f.Src {
			return false
		}
		if tag := s.tag.Load(); tag != AnyTag && tag != f.Tag {
			return false
		}
		if !fits(uint8(st>>slotWantShift), f.Codec) {
			return false // the locked path fails the receive (refuseSlot)
		}
		if !s.state.CompareAndSwap(st, st&^slotPhase|slotClaimed) {
			continue // the receiver parked or withdrew meanwhile: look again
		}
		s.codec, s.op, s.arg, s.src, s.ftag = f.Codec, f.Op, f.Arg, f.Src, f.Tag
		s.nilData = f.Payload == nil
		if n := len(f.Payload); n > 8 {
			s.data, s.small = unsafe.Pointer(unsafe.SliceData(f.Payload)), uint64(n)
		} else {
			s.n, s.small = uint32(n), packSmall(f.Payload)
		}
		m.finishSlot(st, slotDone)
		return true
	}
}

// packSmall is a payload of up to 8 bytes as a little-endian word.
func packSmall(b []byte) uint64 {
	if len(b) == 8 {
		return binary.LittleEndian.Uint64(b)
	}
	var v uint64
	for i, x := range b {
		v |= uint64(x) << (8 * i)
	}
	return v
}

// finishSlot publishes the outcome of the receive claimed from state st
// and wakes its receiver if it parked.
func (m *mailbox) finishSlot(st, outcome uint64) {
	m.slot.state.Store(st&^(slotPhase|slotParked) | outcome)
	if st&slotParked != 0 {
		m.slotWake <- struct{}{}
	}
}

// failSlot fails the posted hand-off receive with why(w) for a waiter w
// of its key, unless why returns nil. m.mu must be held.
func (m *mailbox) failSlot(why func(w *waiter) error) {
	s := &m.slot
	for {
		st := s.state.Load()
		if st&slotPhase != slotPosted {
			return // free, or a frame is on its way
		}
		k := s.key.Load()
		w := waiter{kind: transport.Kind(st >> slotKindShift), comm: uint32(k >> 32), src: int32(uint32(k)), tag: s.tag.Load(),
			want: uint8(st >> slotWantShift)}
		err := why(&w)
		if err == nil {
			return
		}
		if s.state.CompareAndSwap(st, st&^slotPhase|slotClaimed) {
			m.slotErr = err
			m.finishSlot(st, slotDone|slotFailed)
			return
		}
	}
}

// takeSlot moves the hand-off's outcome into w, which is posted there,
// and frees the hand-off; it reports false if the outcome is not written
// yet. Only the receiver calls it.
func (m *mailbox) takeSlot(w *waiter) bool {
	s := &m.slot
	st := s.state.Load()
	if st&slotPhase != slotDone {
		return false
	}
	if st&slotFailed != 0 {
		w.f, w.err = transport.Frame{}, m.slotErr
		m.slotErr = nil
	} else {
		f := transport.Frame{Kind: transport.Kind(st >> slotKindShift), Codec: s.codec, Op: s.op, Src: s.src,
			Comm: uint32(s.key.Load() >> 32), Tag: s.ftag, Arg: s.arg}
		switch n := s.n; {
		case s.data != nil:
			f.Payload = unsafe.Slice((*byte)(s.data), s.small)
			s.data = nil
		case n > 0 || !s.nilData:
			// 8-byte aligned, as every payload is, for raw views
			word := (*[8]byte)(unsafe.Pointer(new(uint64)))
			binary.LittleEndian.PutUint64(word[:], s.small)
			f.Payload = word[:n:n]
		}
		w.f = f
	}
	s.state.Store(st &^ (slotPhase | slotFailed)) // free; the generation stays
	w.slot = nil
	w.state.Store(waitDone)
	return true
}

// waitSlot is wait's slow path for a receive on the hand-off.
func (m *mailbox) waitSlot(ctx context.Context, w *waiter) (transport.Frame, error) {
	s := &m.slot
	st := s.state.Load()
	if st&slotPhase == slotPosted && s.state.CompareAndSwap(st, st|slotParked) {
		parkedAt := time.Now()
		select {
		case <-m.slotWake:
		case <-ctx.Done():
			if s.state.CompareAndSwap(st|slotParked, st&^slotPhase) { // withdrawn: free
				w.slot = nil
				return transport.Frame{}, ctx.Err()
			}
			<-m.slotWake // completed concurrently: keep the frame, nothing is lost
		}
		f, err := m.takeSlotWait(w)
		if err != nil && errors.Is(err, ErrAborted) {
			err = w.blocked(time.Since(parkedAt), err)
		}
		return f, err
	}
	return m.takeSlotWait(w)
}

// takeSlotWait takes the outcome of the hand-off receive w, waiting for a
// sender that has claimed it to publish.
func (m *mailbox) takeSlotWait(w *waiter) (transport.Frame, error) {
	for !m.takeSlot(w) {
		runtime.Gosched() // a sender is between claiming and publishing
	}
	return w.f, w.err
}

// cancelSlot withdraws the hand-off receive w, reporting false if a frame
// (or a failure) already claimed it; it then returns once w is complete.
func (m *mailbox) cancelSlot(w *waiter) bool {
	s := &m.slot
	st := s.state.Load()
	if st&slotPhase == slotPosted && s.state.CompareAndSwap(st, st&^slotPhase) {
		w.slot = nil
		return true
	}
	m.takeSlotWait(w)
	return false
}

// refuseSlot fails the posted hand-off receive if f matches it but does not
// fit its type; f stays unconsumed. m.mu must be held.
//
// A failed compare-and-swap is retried, as in failSlot: the receiver may
// have parked in between. Giving up then would leave the receive posted
// with f queued behind it, never to match it: it would hang, or fail as if
// f had never been sent once its sender left.
func (m *mailbox) refuseSlot(f *transport.Frame) {
	s := &m.slot
	for {
		st := s.state.Load()
		if st&slotPhase != slotPosted || fits(uint8(st>>slotWantShift), f.Codec) {
			return
		}
		k := s.key.Load()
		p := posting{kind: transport.Kind(st >> slotKindShift), comm: uint32(k >> 32), src: int32(uint32(k)), tag: s.tag.Load()}
		if !p.matches(f) {
			return
		}
		if s.state.CompareAndSwap(st, st&^slotPhase|slotClaimed) {
			m.slotErr = wrongTypeOf(f)
			m.finishSlot(st, slotDone|slotFailed)
			return
		}
	}
}
