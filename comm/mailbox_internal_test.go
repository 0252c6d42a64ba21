package comm

import (
	"errors"
	"testing"
	"unsafe"

	"github.com/gorun-dev/gorun/comm/transport"
)

var sinkMailbox *mailbox

// TestMailboxLayout: the sender's fields (the lock and the first posted
// receive) fill the first cache line, the hand-off fills a line of its own,
// and the struct is a multiple of 64 bytes, which the allocator's size
// classes align to 64.
func TestMailboxLayout(t *testing.T) {
	var m mailbox
	if s := unsafe.Sizeof(m); s%64 != 0 {
		t.Errorf("sizeof(mailbox) = %d, not a multiple of 64", s)
	}
	if o := unsafe.Offsetof(m.posted) + unsafe.Sizeof(m.posted); o > 64 {
		t.Errorf("the posted list ends at byte %d, past the first line", o)
	}
	if o := unsafe.Offsetof(m.abortErr); o != 64 {
		t.Errorf("abortErr at byte %d, want 64", o)
	}
	if o, s := unsafe.Offsetof(m.slot), unsafe.Sizeof(m.slot); o%64 != 0 || s != 64 {
		t.Errorf("the hand-off is %d bytes at byte %d, want one line at a multiple of 64", s, o)
	}
	for range 100 {
		sinkMailbox = newMailbox(0, 2) // on the heap, as in a Comm
		if p := uintptr(unsafe.Pointer(sinkMailbox)); p%64 != 0 {
			t.Fatalf("mailbox allocated at %#x, not 64-byte aligned", p)
		}
	}
}

// TestPostedListOrder: entries stay in posting order through removals, and
// the list goes back to its inline slot when it empties.
func TestPostedListOrder(t *testing.T) {
	var l postedList
	ws := make([]*waiter, 5)
	for i := range ws {
		ws[i] = &waiter{tag: int64(i)}
		l.add(ws[i])
	}
	l.removeAt(0)
	l.remove(ws[3])
	l.keep(func(w *waiter) bool { return w != ws[1] })
	var got []int64
	for i := range l.len() {
		got = append(got, l.at(i).tag)
	}
	if len(got) != 2 || got[0] != 2 || got[1] != 4 {
		t.Fatalf("after removals: tags %v, want [2 4]", got)
	}
	l.remove(ws[2])
	l.remove(ws[4])
	if l.len() != 0 || &l.items[:1][0] != &l.inline[0] {
		t.Errorf("empty list is not back inline")
	}
}

// TestEarlyControlFrames: a peer's probe or mismatch notice for a
// sub-communicator this rank has not made yet is kept, and acted on when
// it makes it: it is never queued as the data of a call (a probe taken as
// data reads as a call with root -4, a false mismatch).
func TestEarlyControlFrames(t *testing.T) {
	const cid = firstCid + 2
	probe := transport.Frame{Kind: transport.KindColl, Op: uint8(callBcast), Src: 1, Comm: cid, Tag: 0, Arg: argProbe,
		Payload: []byte{0, 0, 0, 0}}
	data := transport.Frame{Kind: transport.KindColl, Op: uint8(callBcast), Src: 1, Comm: cid, Tag: 0, Arg: 1}
	m := newMailbox(0, 2)
	for _, f := range []transport.Frame{probe, data} {
		if err := m.deliver(f); err != nil {
			t.Fatal(err)
		}
	}
	m.setGroup(cid, []int32{0, 1})
	if !m.hasProbes.Load() || len(m.probes) != 1 || m.probes[0].seq != 0 || m.probes[0].src != 1 {
		t.Errorf("probes %+v, want the early probe from rank 1", m.probes)
	}
	q := m.queue(transport.KindColl, cid, 1, false)
	if q == nil || len(q.items) != 1 || q.items[0].f.Arg != 1 {
		t.Errorf("queued %+v, want the data frame alone", q)
	}

	notice := transport.Frame{Kind: transport.KindColl, Op: uint8(callBcast), Src: 1, Comm: cid, Tag: 0, Arg: argMismatch,
		Payload: encodeMismatch(&MismatchError{Peer: 0, Call: "Bcast(root 1)", PeerCall: "Bcast(root 0)"})}
	m = newMailbox(0, 2)
	if err := m.deliver(notice); err != nil {
		t.Fatal(err)
	}
	m.setGroup(cid, []int32{0, 1})
	var me *MismatchError
	if err := m.aborted(); !errors.As(err, &me) {
		t.Errorf("aborted with %v after an early mismatch notice, want its *MismatchError", err)
	}
}
