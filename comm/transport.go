package comm

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

// Optional abilities of a transport, each a small interface of its own.

// directDelivery is a transport whose Send hands the frame to the
// receiver's handler on the sender's goroutine: a reply is often there
// within a microsecond, so a receiver polls briefly before parking. Over a
// network transport polling would only take the CPU from the goroutines
// that deliver.
type directDelivery interface{ deliversDirectly() }

// copyingSend is a transport that has copied a frame's payload (to a peer
// other than the sender itself) by the time Send returns, so callers may
// pass a view of their own memory instead of a private copy.
type copyingSend interface{ copiesOnSend() }

// refusingHandler is a Handler that, instead of dropping a frame its rank
// can no longer receive (the rank aborted or closed), refuses it with the
// recorded cause. A transport that delivers on the sender's goroutine uses
// it to fail that Send, as the contract asks, with the reason the peer
// stopped.
type refusingHandler interface {
	deliverOrRefuse(f Frame) error
}
