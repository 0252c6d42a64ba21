package comm

import (
	"context"
	"fmt"
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

// acknowledge answers a synchronous send whose message a receive has
// matched. The receive has its message whatever happens to the answer: a
// sender that has gone needs none.
func (c *Comm) acknowledge(f *transport.Frame) {
	if f.Op != p2pSync || f.Kind != transport.KindP2P {
		return
	}
	_ = c.t.Send(context.Background(), int(f.Src), transport.Frame{Kind: transport.KindP2P, Codec: codecNone, Src: int32(c.WorldRank(c.rank)), Comm: commAck, Tag: int64(f.Arg)})
}
