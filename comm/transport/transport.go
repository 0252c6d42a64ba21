package transport

import "context"

// Transport moves frames between the ranks of one world. It is the only
// mechanism below Comm: matching, tags, ordering queues and collectives all
// live above it.
//
// Contract:
//   - Send delivers f to rank dst exactly once, or returns an error. Frames
//     from one sender to one receiver arrive in the order they were sent.
//     After Send returns the transport no longer reads f.Payload, and the
//     receiver owns the payload it is handed (value semantics).
//   - Inbound frames and peer failures are reported to the Handler given to
//     Start, from any goroutine, but for one source always in order.
//   - Close releases the transport; peers learn of it through
//     Handler.PeerClosed (a clean exit) or PeerFailed (a crash).
type Transport interface {
	Rank() int
	Size() int
	// Start registers h and begins delivery. It must be called once,
	// before the first Send by any rank of the world.
	Start(h Handler) error
	Send(ctx context.Context, dst int, f Frame) error
	Close() error
}

// Handler receives what a Transport delivers.
type Handler interface {
	// Deliver hands over one inbound frame; the handler owns f.Payload.
	Deliver(f Frame)
	// PeerClosed reports that rank left the world cleanly: no more frames
	// will come from it.
	PeerClosed(rank int)
	// PeerFailed reports that rank died or the job was aborted (rank < 0
	// when the failure is not tied to one rank).
	PeerFailed(rank int, err error)
}

// Optional abilities of a transport, each a small interface of its own
// that a Transport implements to declare it (as hashicorp/raft's
// WithClose and WithPeers). The communicator asks for them once, when a
// Comm is made over the transport.

// DirectDelivery is a transport whose Send hands the frame to the
// receiver's Handler on the sender's goroutine: a reply is often there
// within a microsecond, so a receiver polls briefly before parking. Over a
// network transport polling would only take the CPU from the goroutines
// that deliver.
type DirectDelivery interface {
	Transport
	DeliversDirectly()
}

// BackgroundSender is a transport whose sends to a destination can go on
// in the background while the sender computes: SendBackground returns at
// once and calls done, once, with what Send would have returned, when the
// transport has handed f to the wire (or failed to). The transport owns
// f.Payload from the call on. Frames to dst sent later, by Send or
// SendBackground, arrive after f, and Close waits (boundedly) for the
// frames still queued. ctx bounds the send until it is handed over.
//
// SendsAtOnce reports whether a Send of a payload of n bytes to dst would
// hand the frame over without waiting for the peer, as far as can be told
// now: nothing queued ahead of it, and room for all of it in whatever
// flow control stands between. A caller then sends it in the foreground,
// with no hand-off and no private copy of a payload that Send copies.
type BackgroundSender interface {
	Transport
	SendBackground(ctx context.Context, dst int, f Frame, done func(error))
	SendsAtOnce(dst, n int) bool
}

// CopyingSend is a transport that has copied a frame's payload (to a peer
// other than the sender itself) by the time Send returns, so callers may
// pass a view of their own memory instead of a private copy.
type CopyingSend interface {
	Transport
	CopiesOnSend()
}

// CopyingSendTo is CopyingSend for some destinations only: a transport
// that reaches some ranks by handing over the payload (the ranks of its
// own process) and copies it for the others.
type CopyingSendTo interface {
	Transport
	CopiesOnSendTo(dst int) bool
}

// SharedMemory is a transport whose ranks all live in this process, so
// that collectives may work on the ranks' memory directly (a reduction in
// place between two barriers) instead of moving messages, and values from
// comm.Shared are one copy for all. Only Comms made together over the
// whole world's transports (comm.NewWorld) share memory.
type SharedMemory interface {
	Transport
	SharesMemory()
}

// FailedLeaver is a transport that can tell peers, as it closes, that this
// rank leaves because of a failure and which rank failed first (origin),
// so that they abort at once and blame that rank, not this one
// (LeaveFailed); or that it leaves because the whole job was aborted,
// which its peers hear anyway (LeaveAborted).
type FailedLeaver interface {
	Transport
	LeaveFailed(origin int)
	LeaveAborted()
}

// RefusingHandler is a Handler that, instead of dropping a frame its rank
// can no longer receive (the rank aborted or closed), refuses it with the
// recorded cause. A transport that delivers on the sender's goroutine
// (DirectDelivery) uses it to fail that Send, as the contract asks, with
// the reason the peer stopped.
type RefusingHandler interface {
	Handler
	DeliverOrRefuse(f Frame) error
}

// Counting is a transport that counts the payload bytes it has sent to
// each rank (a send to itself included), so that a job can report how
// much it moved within and between hosts.
type Counting interface {
	Transport
	SentBytes(dst int) int64
}

// Placed is a transport that sizes its flow control by where ranks run:
// SetNodes gives the node of every rank (len Size), once the comm layer
// has learnt them. Messages between nodes cross a route of limited
// bandwidth, where a large window queues bulk data ahead of small
// messages.
type Placed interface {
	SetNodes(nodes []int)
}
