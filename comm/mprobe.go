package comm

import (
	"context"
	"fmt"

	"github.com/gorun-dev/gorun/comm/transport"
)

// Message is a message taken off the queue by Mprobe or Improbe: no other
// receive can match it any more, and only its Recv receives it. This makes
// probe-then-receive safe when several goroutines of one rank receive
// (MPI_Mprobe and MPI_Mrecv).
type Message struct {
	f        transport.Frame
	status   Status
	received bool
	null     bool // from ProcNull: Recv leaves the value as it is
}

// Mprobe blocks until a message from src with tag is available, removes
// it from matching, and returns it with its Status; Message.Recv then
// receives it.
func (c *Comm) Mprobe(ctx context.Context, src, tag int) (*Message, Status, error) {
	if src == ProcNull {
		return &Message{status: procNullStatus, null: true}, procNullStatus, nil
	}
	if err := c.checkRank("Mprobe", src, true); err != nil {
		return nil, noStatus, err
	}
	if tag < AnyTag {
		return nil, noStatus, fmt.Errorf("comm: Mprobe: bad tag %d", tag)
	}
	w := getWaiter(transport.KindP2P, c.cid, int32(src), int64(tag))
	c.mb.post(w)
	f, err := c.mb.wait(ctx, w)
	putWaiter(w)
	if err != nil {
		return nil, noStatus, err
	}
	if f.Op != 0 {
		c.acknowledge(&f)
	}
	m := &Message{f: f, status: frameStatus(&f)}
	return m, m.status, nil
}

// Improbe is Mprobe without blocking: it reports false (and a nil
// Message) when no message from src with tag is available.
func (c *Comm) Improbe(src, tag int) (*Message, Status, bool, error) {
	if src == ProcNull {
		return &Message{status: procNullStatus, null: true}, procNullStatus, true, nil
	}
	if err := c.checkRank("Improbe", src, true); err != nil {
		return nil, noStatus, false, err
	}
	if tag < AnyTag {
		return nil, noStatus, false, fmt.Errorf("comm: Improbe: bad tag %d", tag)
	}
	f, ok, _ := c.mb.try(&waiter{kind: transport.KindP2P, comm: c.cid, src: int32(src), tag: int64(tag)})
	if !ok {
		return nil, noStatus, false, c.mb.aborted()
	}
	if f.Op != 0 {
		c.acknowledge(&f)
	}
	m := &Message{f: f, status: frameStatus(&f)}
	return m, m.status, true, nil
}

// Recv stores the message's value in *ptr, as Comm.Recv does. A message
// of another type than *ptr's stays in m, to be received into the right
// type; once received, m is empty and Recv fails.
func (m *Message) Recv(ptr any) (Status, error) {
	if m.null {
		return m.status, nil
	}
	if m.received {
		return noStatus, fmt.Errorf("comm: Message.Recv: the message was already received")
	}
	want, err := recvCodec("Message.Recv", ptr)
	if err != nil {
		return noStatus, err
	}
	if !fits(want, m.f.Codec) {
		return recvError(wrongTypeOf(&m.f), ptr)
	}
	m.received = true
	if ptr != nil {
		err = decodeValue(m.f.Codec, m.f.Payload, ptr)
	}
	m.f.Payload = nil
	return m.status, err
}
