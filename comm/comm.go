package comm

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// Wildcards for Recv, Irecv, Probe and Iprobe.
const (
	AnySource = -1
	AnyTag    = -1
)

// Communicator context ids. User point-to-point and collectives travel in
// ctxWorld; the task farm (Map) has a space of its own so it never matches
// user messages.
const (
	ctxWorld uint32 = 0
	ctxMap   uint32 = 1
)

// Comm is one rank's handle on a world of Size ranks.
//
// Point-to-point calls are safe for concurrent use. Collective calls on one
// Comm must be made by every rank in the same order and not concurrently
// from several goroutines of one rank.
type Comm struct {
	rank, size int
	t          Transport
	mb         *mailbox
	seq        int64       // next collective sequence number
	cellsSeen  int64       // last call through the cells (every rank had begun it)
	mapCalls   int64       // Map calls so far (each has its own tags)
	sendViews  bool        // the transport copies on Send: pass views, not copies
	bus        *NATSConfig // the bus of a process-mode rank, for BusAddress
	shared     bool        // every rank lives in this process (NewWorld)
	proc       *process
	progress   func(done, total int64)

	cid   uint32         // communicator id: ctxWorld, or a sub-communicator's
	group []int32        // world rank of each rank of a sub-communicator
	cids  *atomic.Uint32 // this rank's next free communicator id (split.go)

	outMu sync.Mutex
	out   [2]*taggedWriter // Stdout and Stderr in a goroutine world, once asked for
}

// process holds what the ranks living in one OS process share: one store
// for Shared values.
type process struct {
	mu      sync.Mutex
	shared  map[string]*sharedEntry
	windows map[int64]*window // open shared-memory collectives, by sequence number
	cells   *cells            // a goroutine world's small-Allreduce cells, or nil
}

func newProcess() *process { return &process{shared: make(map[string]*sharedEntry)} }

// SharesMemory reports whether every rank of the world lives in this
// process (a goroutine world), so that values from Shared are one copy for
// all. It is the same on every rank.
func (c *Comm) SharesMemory() bool { return c.size == 1 || c.shared }

// Rank is this rank's number, 0 <= Rank < Size.
func (c *Comm) Rank() int { return c.rank }

// Size is the number of ranks in the world.
func (c *Comm) Size() int { return c.size }

// newComm wires a transport to a fresh mailbox and starts delivery.
func newComm(t Transport, proc *process) (*Comm, error) {
	c := &Comm{rank: t.Rank(), size: t.Size(), t: t, proc: proc, cellsSeen: -1}
	c.mb = newMailbox(c.rank, c.size)
	c.mb.spin.set(t, c.size)
	_, c.sendViews = t.(copyingSend)
	if err := t.Start(handler{c.mb}); err != nil {
		return nil, err
	}
	return c, nil
}

// NewComm makes a Comm over a started-world transport. It is how a custom
// transport joins the comm layer; most programs use Main or Run instead.
func NewComm(t Transport) (*Comm, error) { return newComm(t, newProcess()) }

// Abort fails every blocked and future call on this rank, and on this rank
// only, with an error wrapping ErrAborted and cause; the other ranks learn
// of it only as this rank fails or leaves. To end the whole job, as
// MPI_Abort does, use AbortJob.
func (c *Comm) Abort(cause error) {
	c.mb.abort(fmt.Errorf("%w: %v", ErrAborted, cause))
}

// failedLeaver is a transport that can tell peers, as it closes, that this
// rank leaves because of a failure and which rank failed first (origin),
// so that they abort at once and blame that rank, not this one; or that it
// leaves because the whole job was aborted, which its peers hear anyway.
type failedLeaver interface {
	leaveFailed(origin int)
	leaveAborted()
}

// leaveFailed prepares Close to tell peers that this rank leaves because of
// err: its own failure, a peer's when err wraps a *RankFailedError, or the
// job's abort when err wraps ErrAborted alone.
func (c *Comm) leaveFailed(err error) {
	l, ok := c.t.(failedLeaver)
	if !ok {
		return
	}
	var rf *RankFailedError
	switch {
	case errors.As(err, &rf) && rf.Rank >= 0 && rf.Rank < c.size:
		l.leaveFailed(rf.Rank)
	case errors.Is(err, ErrAborted):
		l.leaveAborted()
	default:
		l.leaveFailed(c.rank)
	}
}

// Close leaves the world: peers waiting for a message from this rank get a
// *RankFailedError. Close does not wait for peers.
func (c *Comm) Close() error {
	if c.group != nil {
		return nil // a sub-communicator: the world's transport stays
	}
	c.flushOutput()
	c.mb.abort(ErrClosed)
	return c.t.Close()
}

// SetProgress installs the function Progress reports to (the launcher's
// progress bar, in a gorun job).
func (c *Comm) SetProgress(fn func(done, total int64)) { c.progress = fn }

// Progress reports that this rank has done `done` of `total` units of work.
// Under gorun the launcher sums the reports of all ranks into one progress
// bar; elsewhere it does nothing.
func (c *Comm) Progress(done, total int64) {
	if c.progress != nil {
		c.progress(done, total)
	}
}

type handler struct{ mb *mailbox }

func (h handler) Deliver(f Frame)               { _ = h.mb.deliver(f) }
func (h handler) deliverOrRefuse(f Frame) error { return h.mb.deliver(f) }
func (h handler) PeerClosed(rank int)           { h.mb.peerClosed(rank) }
func (h handler) PeerFailed(rank int, err error) {
	if rank >= 0 {
		h.mb.abort(&RankFailedError{Rank: rank, Reason: errString(err)})
		return
	}
	h.mb.abort(fmt.Errorf("%w: %v", ErrAborted, err))
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func (c *Comm) checkRank(what string, r int, wildcard bool) error {
	if r >= 0 && r < c.size || wildcard && r == AnySource {
		return nil
	}
	return fmt.Errorf("comm: %s: rank %d out of range [0,%d)", what, r, c.size)
}

// encodeFor encodes v for a send to dst: a view of v's memory when the
// transport copies it anyway, else a private copy.
func (c *Comm) encodeFor(dst int, v any) (uint8, []byte, error) {
	if c.sendViews && dst != c.rank {
		return encodeView(v)
	}
	return encodeValue(v)
}
