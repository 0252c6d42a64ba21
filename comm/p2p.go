package comm

import (
	"context"
	"fmt"

	"github.com/gorun-dev/gorun/comm/transport"
)

// Status describes a received (or probed) message. When no message was
// received (an Iprobe or Test that found nothing, a failed or cancelled
// receive), Source is AnySource and Tag is AnyTag, which no message has.
type Status struct {
	Source    int // sending rank
	Tag       int
	Bytes     int  // encoded payload size
	Cancelled bool // the receive was cancelled (Request.Cancel) before a message matched it

	codec uint8 // for Count
	count int   // Count of a msgpack value
}

// noStatus is the Status of a receive that got no message.
var noStatus = Status{Source: AnySource, Tag: AnyTag}

// Request is the handle of a non-blocking operation. A Request belongs to
// one goroutine: Wait and Test must not be called on it concurrently (the
// calls that start operations, Isend and Irecv, are safe from several
// goroutines of a rank).
type Request struct {
	c      *Comm
	w      *waiter // nil for sends
	ptr    any
	send   bool                           // a send: the status is set when it starts
	bg     bool                           // a send under way in the transport's background (Isend)
	into   func(f *transport.Frame) error // decodes into IrecvInto's buffer
	done   bool
	status Status
	err    error
}

// Send sends v to rank dst with tag (>= 0). It returns once the message is
// handed to the transport; v may be reused at once (value semantics). A
// send to ProcNull does nothing.
func (c *Comm) Send(ctx context.Context, dst, tag int, v any) error {
	if dst == ProcNull {
		return nil
	}
	if err := c.checkRank("Send", dst, false); err != nil {
		return err
	}
	if tag < 0 {
		return fmt.Errorf("comm: Send: tag %d is negative", tag)
	}
	return c.sendIn(ctx, c.cid, dst, tag, v)
}

// sendIn sends in communicator context cid.
func (c *Comm) sendIn(ctx context.Context, cid uint32, dst, tag int, v any) error {
	codec, payload, err := c.encodeFor(dst, v)
	if err != nil {
		return err
	}
	if err := c.mb.aborted(); err != nil {
		return err
	}
	return sendErr(c.t.Send(ctx, dst, transport.Frame{Kind: transport.KindP2P, Codec: codec, Src: int32(c.rank), Comm: cid, Tag: int64(tag), Payload: payload}))
}

// Isend starts a send of v to dst with tag and returns a request that
// completes when the message has been handed to the transport, as Send
// returns. v is encoded (copied) before Isend returns, so it may be
// reused at once. Sends to one destination reach it in the order they
// were made, whether by Isend, Send or Ssend: a Send made after an Isend
// waits behind it.
//
// Over a bus a message of backgroundSendMin (64 KiB) or more that would
// wait (behind sends still queued for dst, or for the credit window) is
// handed over by a goroutine of the transport, so that the rank computes
// while the bus moves it, however much exceeds the window; ctx bounds
// that send until then. Any other message is handed over before Isend
// returns, which costs less than the hand-off and the private copy it
// needs. In a goroutine world every send is complete when Isend returns.
// Close waits for the sends still under way.
func (c *Comm) Isend(ctx context.Context, dst, tag int, v any) *Request {
	st := Status{Source: c.rank, Tag: tag}
	if c.bg == nil || dst == ProcNull || dst == c.rank {
		return &Request{c: c, done: true, err: c.Send(ctx, dst, tag, v), status: st}
	}
	r := &Request{c: c, done: true, send: true, status: st}
	if r.err = c.checkRank("Isend", dst, false); r.err != nil {
		return r
	}
	if tag < 0 {
		r.err = fmt.Errorf("comm: Isend: tag %d is negative", tag)
		return r
	}
	codec, payload, err := c.encodeFor(dst, v)
	if err == nil {
		err = c.mb.aborted()
	}
	if err != nil {
		r.err = err
		return r
	}
	f := transport.Frame{Kind: transport.KindP2P, Codec: codec, Src: int32(c.rank), Comm: c.cid, Tag: int64(tag), Payload: payload}
	if len(payload) < backgroundSendMin || c.bg.SendsAtOnce(dst, len(payload)) {
		r.err = sendErr(c.t.Send(ctx, dst, f))
		return r
	}
	if c.viewsFor(dst) {
		f.Payload = clone(payload) // the caller may change v once Isend returns
	}
	r.done, r.bg = false, true
	r.w = &waiter{done: make(chan struct{}, 1)}
	c.bg.SendBackground(ctx, dst, f, func(err error) { r.w.complete(transport.Frame{}, sendErr(err)) })
	return r
}

// backgroundSendMin is the smallest payload an Isend hands to a
// transport.BackgroundSender: a smaller one goes out at once, for less
// than a goroutine hand-off costs.
const backgroundSendMin = 64 << 10

// Recv receives a message from src (or AnySource) with tag (or AnyTag) and
// stores its value in *ptr. Messages from one source with one tag arrive in
// the order they were sent.
//
// ptr must be a pointer to the type that was sent (or *any, which takes
// every message as the value that was sent, or nil, which discards it). A
// message of another type fails the Recv without being consumed: it can
// still be probed and received into the right type.
func (c *Comm) Recv(ctx context.Context, src, tag int, ptr any) (Status, error) {
	if src == ProcNull {
		return procNullStatus, nil
	}
	if err := c.checkRank("Recv", src, true); err != nil {
		return noStatus, err
	}
	if tag < AnyTag {
		return noStatus, fmt.Errorf("comm: Recv: bad tag %d", tag)
	}
	want, err := recvCodec("Recv", ptr)
	if err != nil {
		return noStatus, err
	}
	w := getWaiter(transport.KindP2P, c.cid, int32(src), int64(tag))
	w.want = want
	c.mb.post(w)
	f, err := c.mb.wait(ctx, w)
	putWaiter(w)
	if err != nil {
		return recvError(err, ptr)
	}
	if f.Op != 0 {
		c.acknowledge(&f)
	}
	st := frameStatus(&f)
	if ptr != nil {
		err = decodeValue(f.Codec, f.Payload, ptr)
	}
	return st, err
}

// Irecv posts a receive; Wait or Test completes it.
func (c *Comm) Irecv(src, tag int, ptr any) *Request {
	return c.irecvIn(c.cid, src, tag, ptr)
}

func (c *Comm) irecvIn(cid uint32, src, tag int, ptr any) *Request {
	r := &Request{c: c, ptr: ptr, status: noStatus}
	if !r.check("Irecv", src, tag) {
		return r
	}
	want, err := recvCodec("Irecv", ptr)
	if err != nil {
		r.done, r.err = true, err
		return r
	}
	r.post(cid, src, tag, want)
	return r
}

// check completes r at once for a receive from ProcNull or with a bad
// source or tag, and reports whether it is still to be posted.
func (r *Request) check(call string, src, tag int) bool {
	if src == ProcNull {
		r.done, r.status = true, procNullStatus
		return false
	}
	if err := r.c.checkRank(call, src, true); err != nil {
		r.done, r.err = true, err
		return false
	}
	if tag < AnyTag {
		r.done, r.err = true, fmt.Errorf("comm: %s: bad tag %d", call, tag)
		return false
	}
	return true
}

// post posts r's receive in communicator cid.
func (r *Request) post(cid uint32, src, tag int, want uint8) {
	r.w = &waiter{kind: transport.KindP2P, comm: cid, src: int32(src), tag: int64(tag), want: want}
	r.c.mb.post(r.w)
	r.acknowledgePosted()
}

// Wait blocks until the request completes or ctx ends. If ctx ends first
// a receive is withdrawn, and no message is consumed by it; a send goes
// on (its own ctx bounds it), and Wait may be called again.
func (r *Request) Wait(ctx context.Context) (Status, error) {
	if r.done {
		return r.status, r.err
	}
	if r.bg {
		return r.waitSend(ctx)
	}
	f, err := r.c.mb.wait(ctx, r.w)
	r.finish(f, err)
	return r.status, r.err
}

// Test reports whether the request has completed, without blocking.
func (r *Request) Test() (Status, bool, error) {
	if r.done {
		return r.status, true, r.err
	}
	if !r.w.completed() {
		return noStatus, false, nil
	}
	r.finish(r.w.f, r.w.err)
	return r.status, true, r.err
}

// Cancel withdraws a pending receive. It reports false when the request had
// already completed (then Wait returns its message), and for a send. Wait and Test on a
// cancelled request return a Status with Cancelled set and an error
// wrapping ErrCancelled.
func (r *Request) Cancel() bool {
	if r.done || r.w == nil || r.bg {
		return false
	}
	if r.c.mb.cancel(r.w) {
		r.done, r.err = true, ErrCancelled
		r.status.Cancelled = true
		return true
	}
	return false
}

func (r *Request) finish(f transport.Frame, err error) {
	r.done = true
	if r.send {
		r.err = err
		return
	}
	if err != nil {
		r.status, r.err = recvError(err, r.ptr)
		return
	}
	if f.Op != 0 {
		r.c.acknowledge(&f)
	}
	r.status = frameStatus(&f)
	if r.into != nil {
		r.err = r.into(&f)
	} else if r.ptr != nil {
		r.err = decodeValue(f.Codec, f.Payload, r.ptr)
	}
}

// Probe blocks until a message from src with tag is available and describes
// it without receiving it.
func (c *Comm) Probe(ctx context.Context, src, tag int) (Status, error) {
	if src == ProcNull {
		return procNullStatus, nil
	}
	if err := c.checkRank("Probe", src, true); err != nil {
		return noStatus, err
	}
	if tag < AnyTag {
		return noStatus, fmt.Errorf("comm: Probe: bad tag %d", tag)
	}
	w := &waiter{kind: transport.KindP2P, comm: c.cid, src: int32(src), tag: int64(tag), peek: true}
	c.mb.post(w)
	f, err := c.mb.wait(ctx, w)
	if err != nil {
		return noStatus, err
	}
	return frameStatus(&f), nil
}

// Iprobe reports whether a message from src with tag is available. When
// none is, it returns false and a Status whose Source is AnySource and Tag
// AnyTag; a message that can no longer come (its sender has exited) is
// simply not available, as in MPI. Only an aborted world is an error.
func (c *Comm) Iprobe(src, tag int) (Status, bool, error) {
	if src == ProcNull {
		return procNullStatus, true, nil
	}
	if err := c.checkRank("Iprobe", src, true); err != nil {
		return noStatus, false, err
	}
	if tag < AnyTag {
		return noStatus, false, fmt.Errorf("comm: Iprobe: bad tag %d", tag)
	}
	f, ok, _ := c.mb.try(&waiter{kind: transport.KindP2P, comm: c.cid, src: int32(src), tag: int64(tag), peek: true})
	if !ok {
		return noStatus, false, c.mb.aborted()
	}
	return frameStatus(&f), true, nil
}

// waitSend waits for a send under way in the background. If ctx ends
// first it returns ctx's error and the request stays active.
func (r *Request) waitSend(ctx context.Context) (Status, error) {
	w := r.w
	if !w.completed() {
		if !w.state.CompareAndSwap(waitPending, waitParked) {
			r.finish(w.f, w.err) // completed since the look
			return r.status, r.err
		}
		select {
		case <-w.done:
		case <-ctx.Done():
			if w.state.CompareAndSwap(waitParked, waitPending) {
				return r.status, ctx.Err()
			}
			<-w.done // completed meanwhile
		}
	}
	r.finish(w.f, w.err)
	return r.status, r.err
}
