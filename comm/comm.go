package comm

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/gorun-dev/gorun/comm/transport"
)

// Wildcards for Recv, Irecv, Probe and Iprobe.
const (
	AnySource = -1
	AnyTag    = -1
)

// Communicator ids. User point-to-point and collectives travel in
// commWorld; the task farm (Map) has a space of its own so it never matches
// user messages.
const (
	commWorld uint32 = 0
	commMap   uint32 = 1
)

// Comm is one rank's handle on a world of Size ranks.
//
// Point-to-point calls are safe for concurrent use. Collective calls on one
// Comm must be made by every rank in the same order and not concurrently
// from several goroutines of one rank.
type Comm struct {
	rank, size int
	t          transport.Transport
	mb         *mailbox
	seq        int64                      // next collective sequence number
	mapCalls   int64                      // Map calls so far (each has its own tags)
	sendViews  bool                       // the transport copies on Send: pass views, not copies
	viewsTo    []bool                     // by world rank: the transport copies on Send to it (transport.CopyingSendTo)
	bus        *bus                       // the bus of a process-mode rank
	bg         transport.BackgroundSender // t, when it sends in the background (large Isends)
	// sharedMemory: the transport declares transport.SharedMemory and
	// every rank of the world shares proc, so collectives may work on the
	// ranks' memory directly.
	sharedMemory bool
	messages     bool   // collectives move messages only (MessagesOnly)
	hybrid       bool   // a rank of a hybrid world (JoinHybrid)
	place        *Place // where the rank runs, when its world says (JoinHybrid)
	proc         *process
	progress     func(done, total int64)
	acks         *acksInFlight // the world's answers to synchronous sends (ssend.go)

	cid   uint32         // communicator id: commWorld, or a sub-communicator's
	group []int32        // world rank of each rank of a sub-communicator
	cids  *atomic.Uint32 // this rank's next free communicator id (split.go)
	nbc   *nbcState      // non-blocking collectives, once one has started

	topo      Topology   // how collectives use nodes (topology.go)
	nodes     []int      // node of each rank, once known or set; nil: ask Place
	hier      *hierarchy // the staged collectives' communicators, or nil: flat
	hierKnown bool       // hier is decided

	outMu sync.Mutex
	out   [2]*taggedWriter // Stdout and Stderr in a goroutine world, once asked for
}

// process holds what the ranks living in one OS process share: one store
// for Shared values, and the shared-memory collectives' state.
type process struct {
	ranks   int // ranks sharing this process state
	mu      sync.Mutex
	values  map[string]*sharedEntry // what Shared loaded, by key
	windows map[int64]*window       // open shared-memory collectives, by sequence number
	spare   *window                 // the last one closed, for the next
}

func newProcess(ranks int) *process {
	return &process{ranks: ranks, values: make(map[string]*sharedEntry)}
}

// SharesMemory reports whether every rank of the world lives in this
// process (a goroutine world), so that values from Shared are one copy for
// all. It is the same on every rank.
func (c *Comm) SharesMemory() bool { return c.size == 1 || c.sharedMemory }

// SharesValues reports whether the ranks of this process share the values
// of Shared and LoadOnce, one instance for all of them: in a goroutine
// world, and in a hybrid world (one instance per process, where the
// process's ranks are goroutines). It is the same on every rank, so a
// program may choose a collective path by it.
func (c *Comm) SharesValues() bool { return c.SharesMemory() || c.hybrid }

// sharedColls reports whether collectives may work in the ranks' shared
// memory instead of moving messages.
func (c *Comm) sharedColls() bool { return c.sharedMemory && !c.messages }

// Rank is this rank's number, 0 <= Rank < Size.
func (c *Comm) Rank() int { return c.rank }

// Size is the number of ranks in the world.
func (c *Comm) Size() int { return c.size }

// newComm wires a transport to a fresh mailbox and starts delivery.
func newComm(t transport.Transport, proc *process) (*Comm, error) {
	c := &Comm{rank: t.Rank(), size: t.Size(), t: t, proc: proc}
	c.mb = newMailbox(c.rank, c.size)
	c.acks = newAcksInFlight(t)
	c.mb.spin.set(t, c.size)
	_, c.sendViews = t.(transport.CopyingSend)
	if ct, ok := t.(transport.CopyingSendTo); ok && !c.sendViews {
		c.viewsTo = make([]bool, c.size)
		for r := range c.viewsTo {
			c.viewsTo[r] = ct.CopiesOnSendTo(r)
		}
	}
	if b, ok := t.(transport.BackgroundSender); ok {
		if _, direct := t.(transport.DirectDelivery); !direct {
			c.bg = b
		}
	}
	_, shm := t.(transport.SharedMemory)
	c.sharedMemory = shm && proc.ranks == c.size
	if err := t.Start(&handler{mb: c.mb, acks: c.acks}); err != nil {
		return nil, err
	}
	return c, nil
}

// NewComm makes a Comm over a started-world transport. It is how a custom
// transport joins the comm layer; most programs use Main or Run instead.
// Its rank shares no memory with others: see transport.SharedMemory.
func NewComm(t transport.Transport) (*Comm, error) { return newComm(t, newProcess(1)) }

// Abort fails every blocked and future call on this rank, and on this rank
// only, with an error wrapping ErrAborted and cause; the other ranks learn
// of it only as this rank fails or leaves. To end the whole job, as
// MPI_Abort does, use AbortJob.
func (c *Comm) Abort(cause error) {
	c.mb.abort(fmt.Errorf("%w: %v", ErrAborted, cause))
}

// leaveFailed prepares Close to tell peers that this rank leaves because of
// err: its own failure, a peer's when err wraps a *RankFailedError, or the
// job's abort when err wraps ErrAborted alone.
func (c *Comm) leaveFailed(err error) {
	l, ok := c.t.(transport.FailedLeaver)
	if !ok {
		return
	}
	var rf *RankFailedError
	switch {
	case errors.As(err, &rf) && rf.Rank >= 0 && rf.Rank < c.size:
		l.LeaveFailed(rf.Rank)
	case errors.Is(err, ErrAborted):
		l.LeaveAborted()
	default:
		l.LeaveFailed(c.rank)
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
	c.acks.wait() // sent before this rank's exit reaches their senders
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

type handler struct {
	mb   *mailbox
	acks *acksInFlight // answers synchronous sends matched on delivery
}

func (h *handler) Deliver(f transport.Frame) { _ = h.DeliverOrRefuse(f) }
func (h *handler) DeliverOrRefuse(f transport.Frame) error {
	if f.Op == p2pSync && f.Kind == transport.KindP2P {
		return h.deliverSync(f)
	}
	return h.mb.deliver(f)
}
func (h *handler) PeerClosed(rank int) { h.mb.peerClosed(rank) }
func (h *handler) PeerFailed(rank int, err error) {
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

// viewsFor reports whether a send to dst may pass a view of the caller's
// memory: the transport copies it on the way to dst.
func (c *Comm) viewsFor(dst int) bool {
	if dst == c.rank {
		return false
	}
	return c.sendViews || c.viewsTo != nil && c.viewsTo[c.WorldRank(dst)]
}

// encodeFor encodes v for a send to dst: a view of v's memory when the
// transport copies it anyway, else a private copy.
func (c *Comm) encodeFor(dst int, v any) (uint8, []byte, error) {
	if c.viewsFor(dst) {
		return encodeView(v)
	}
	return encodeValue(v)
}
