package comm

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/gorun-dev/gorun/comm/transport"
)

// commAck is the communicator of synchronous sends' acknowledgements: a
// receive that matches a message sent with Ssend answers there, with the
// send's id as the tag.
const commAck uint32 = 2

// ssendIDs numbers the synchronous sends of this process; an id is unique
// among a rank's sends to one destination, whatever the communicator.
var ssendIDs atomic.Int32

// p2pSync in a point-to-point frame's Op asks the receiver to acknowledge
// the match; Arg then holds the send's id.
const p2pSync uint8 = 1

// Ssend is Send that returns only once a receive on dst has matched the
// message (MPI_Ssend). A program that works with Ssend in place of Send
// does not depend on messages being buffered: it is how MPI programs are
// checked for deadlocks that buffering hides. A send to a rank that exits
// without receiving fails with a *RankFailedError.
//
// The message is matched, and the send completes, when a receive takes
// it: a posted Irecv (or IrecvInto) as the message arrives, or as it is
// posted if the message is already there, whether or not the receiver
// has called Wait or Test yet; a Recv, Mprobe or Improbe when it finds
// the message. As in MPI, a Probe or Iprobe does not match, nor does a
// receive the message does not fit (wrong type: the receive fails and the
// message stays to be received), nor a receive withdrawn by Cancel or by
// its ctx before the message came; Cancel of an Irecv that has matched
// fails, and the receive keeps its message.
func (c *Comm) Ssend(ctx context.Context, dst, tag int, v any) error {
	_, err := c.Issend(ctx, dst, tag, v).Wait(ctx)
	return err
}

// Issend starts a synchronous send: the message is handed to the
// transport before Issend returns, and the request completes once a
// receive on dst has matched it.
func (c *Comm) Issend(ctx context.Context, dst, tag int, v any) *Request {
	r := &Request{c: c, send: true, status: Status{Source: c.rank, Tag: tag}}
	if dst == ProcNull {
		r.done = true
		return r
	}
	if err := c.checkRank("Issend", dst, false); err != nil {
		r.done, r.err = true, err
		return r
	}
	if tag < 0 {
		r.done, r.err = true, fmt.Errorf("comm: Issend: tag %d is negative", tag)
		return r
	}
	codec, payload, err := c.encodeFor(dst, v)
	if err != nil {
		r.done, r.err = true, err
		return r
	}
	id := ssendIDs.Add(1)
	r.w = &waiter{kind: transport.KindP2P, comm: commAck, src: int32(c.WorldRank(dst)), tag: int64(id)}
	c.mb.post(r.w) // before the send: the acknowledgement may come at once
	f := transport.Frame{Kind: transport.KindP2P, Codec: codec, Op: p2pSync, Src: int32(c.rank), Comm: c.cid, Tag: int64(tag), Arg: id, Payload: payload}
	if err := c.t.Send(ctx, dst, f); err != nil {
		c.mb.cancel(r.w)
		r.done, r.err = true, sendErr(err)
	}
	return r
}

// deliverSync is deliver for the frame of a synchronous send: a posted
// receive that takes it matches it now, and the sender is answered at
// once, before the receiver waits on that receive. A frame queued keeps
// p2pSync, and the receive that takes it from the queue answers
// (acknowledge).
func (h *handler) deliverSync(f transport.Frame) error {
	from, id := f.Src, f.Arg // a world rank: frames travel with their world source
	h.acks.begin()           // before the receive can see its match, and close
	matched, err := h.mb.deliverSync(f)
	if !matched {
		h.acks.end()
		return err
	}
	h.acks.send(from, id)
	return nil
}

// deliverSync delivers f, a synchronous send's frame, and reports whether
// a posted receive took it; it is then the caller's to answer.
func (m *mailbox) deliverSync(f transport.Frame) (bool, error) {
	if f.Comm >= firstCid && !m.fromGroup(&f) {
		return false, nil
	}
	m.mu.Lock()
	if err := m.abortErr; err != nil {
		m.mu.Unlock()
		return false, err
	}
	f.Op = 0 // answered by the caller if taken here, not by its receive
	if m.offerSlot(&f) {
		m.mu.Unlock()
		return true, nil
	}
	m.refuseSlot(&f)
	if w := m.matchPosted(&f); w != nil {
		m.mu.Unlock()
		w.complete(f, nil)
		return true, nil
	}
	f.Op = p2pSync
	m.enqueue(&f)
	m.mu.Unlock()
	return false, nil
}

// acksInFlight answers, over the world's transport, the synchronous sends
// matched as their frames are delivered. A transport that delivers on the
// sender's goroutine is answered there; any other delivers on goroutines
// of its own, which must not block on a send (the credit it waits for may
// come back through them), so the answer goes from a new goroutine. Close
// waits for those answers, so that a sender hears of the match before it
// hears that the rank has gone.
type acksInFlight struct {
	t      transport.Transport
	me     int32
	direct bool
	mu     sync.Mutex
	n      int
	idle   sync.Cond
}

func newAcksInFlight(t transport.Transport) *acksInFlight {
	_, direct := t.(transport.DirectDelivery)
	a := &acksInFlight{t: t, me: int32(t.Rank()), direct: direct}
	a.idle.L = &a.mu
	return a
}

func (a *acksInFlight) begin() {
	a.mu.Lock()
	a.n++
	a.mu.Unlock()
}

func (a *acksInFlight) end() {
	a.mu.Lock()
	if a.n--; a.n == 0 {
		a.idle.Broadcast()
	}
	a.mu.Unlock()
}

// send answers the synchronous send id of world rank to, begun by begin.
func (a *acksInFlight) send(to, id int32) {
	send := func() {
		defer a.end()
		_ = a.t.Send(context.Background(), int(to), transport.Frame{Kind: transport.KindP2P, Codec: codecNone, Src: a.me, Comm: commAck, Tag: int64(id)})
	}
	if a.direct {
		send()
		return
	}
	go send()
}

// wait returns once every answer begun has been handed to the transport.
func (a *acksInFlight) wait() {
	a.mu.Lock()
	for a.n > 0 {
		a.idle.Wait()
	}
	a.mu.Unlock()
}

// acknowledgePosted answers the synchronous send whose queued message the
// receive r took as it was posted (Irecv): matched then, not at Wait.
func (r *Request) acknowledgePosted() {
	w := r.w
	if w.slot == nil && w.state.Load() == waitDone && w.err == nil && w.f.Op == p2pSync {
		r.c.acknowledge(&w.f)
		w.f.Op = 0
	}
}

// acknowledge answers a synchronous send whose message a receive has
// matched. The receive has its message whatever happens to the answer: a
// sender that has gone needs none.
func (c *Comm) acknowledge(f *transport.Frame) {
	if f.Op != p2pSync || f.Kind != transport.KindP2P {
		return
	}
	_ = c.t.Send(context.Background(), int(f.Src), transport.Frame{Kind: transport.KindP2P, Codec: codecNone, Src: int32(c.WorldRank(c.rank)), Comm: commAck, Tag: int64(f.Arg)})
}
