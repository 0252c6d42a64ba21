package comm

import (
	"context"
	"fmt"
	"strings"

	"github.com/gorun-dev/gorun/comm/transport"
)

// collCall is which collective a call is (Bcast, Allreduce, ...). It
// travels in every collective frame's Op byte, so that a rank that called
// a different collective than its peers gets a *MismatchError naming both
// calls instead of a hang.
//
// Four small enumerations meet in a frame and are kept apart on purpose,
// because each answers another question: transport.Kind is the matching
// space of a frame (point-to-point or collective); collCall is the
// collective a collective frame belongs to; opKind is which built-in
// reduction an Op is (Sum, Max, ...), which joins a reduction's identity
// in the frame's Tag; and the NATS transport's natsMsgType is how one
// frame is cut into NATS messages, below frames altogether.
type collCall uint8

const (
	callBarrier collCall = iota + 1
	callBcast
	callScatter
	callScatterv
	callGather
	callGatherv
	callAllgather
	callAllgatherv
	callReduce
	callAllreduce
	callAlltoall
	callAlltoallv
	callScan
	callExscan
	callReduceScatter
	callNeighborAllgather
	callNeighborAlltoall
)

// callNonBlocking marks the calls of a non-blocking collective's instance
// (coll_nonblocking.go): Ibcast is Bcast | callNonBlocking, a call of its
// own to the mismatch checks.
const callNonBlocking collCall = 0x80

var callNames = [...]string{"", "Barrier", "Bcast", "Scatter", "Scatterv", "Gather", "Gatherv",
	"Allgather", "Allgatherv", "Reduce", "Allreduce", "Alltoall", "Alltoallv", "Scan", "Exscan", "ReduceScatter",
	"NeighborAllgather", "NeighborAlltoall"}

// rooted reports whether the call names a root.
func (call collCall) rooted() bool {
	switch call &^ callNonBlocking {
	case callBcast, callScatter, callScatterv, callGather, callGatherv, callReduce:
		return true
	}
	return false
}

// callName names a call: "Bcast(root 0)", "Allreduce(Sum)",
// "Reduce(root 1, Max)", "Iallreduce(Sum)"; red is the reduction op's
// identity (0: none).
func callName(call collCall, root int32, red uint32) string {
	name := fmt.Sprintf("call(%d)", call)
	if base := call &^ callNonBlocking; int(base) < len(callNames) {
		name = callNames[base]
		if call&callNonBlocking != 0 {
			name = "I" + strings.ToLower(name[:1]) + name[1:]
		}
	}
	var args []string
	if call.rooted() {
		args = append(args, fmt.Sprintf("root %d", root))
	} else if root != 0 {
		args = append(args, fmt.Sprintf("%d elements", uint32(root)))
	}
	if red != 0 {
		args = append(args, redName(red))
	}
	if len(args) == 0 {
		return name
	}
	return name + "(" + strings.Join(args, ", ") + ")"
}

// coll is one collective call in progress on one rank. Every frame it sends
// carries its sequence number, call, root and reduction op; every
// frame it receives is checked against them. No rank returns from a call
// before every rank's identity has reached it, and stalled waits probe
// their peer (coll_probe.go), so a mismatched call fails on every rank
// rather than returning on some and hanging on others.
type coll struct {
	c    *Comm
	call collCall
	root int32
	red  uint32 // the reduction op's identity (op_ident.go), 0 for none
	seq  int64

	stageOf *coll // the staged call this is a stage of (coll_hier.go), or nil
}

// name is callName of k.
func (k *coll) name() string { return callName(k.call, k.callRoot(), k.red) }

// callRoot is the root of the call k is part of: k's own root, or for a
// stage of a staged collective the outer call's (coll_hier.go).
func (k *coll) callRoot() int32 {
	if k.stageOf != nil {
		return k.stageOf.root
	}
	return k.root
}

// begin starts collective call; the caller keeps the coll on its stack.
func (c *Comm) begin(call collCall, root int) (coll, error) {
	k, err := c.beginUnchecked(call, root)
	if err == nil {
		err = k.checkBegun()
	}
	return k, err
}

// beginUnchecked is begin without the check of peers' probes.
func (c *Comm) beginUnchecked(call collCall, root int) (coll, error) {
	if err := c.canBegin(call, root); err != nil {
		return coll{}, err
	}
	if c.isLane() {
		call |= callNonBlocking
	}
	c.seq++
	return coll{c: c, call: call, root: int32(root), seq: c.seq - 1}, nil
}

// checkBegun fails k if a peer probed its sequence number with another
// call before it began.
func (k *coll) checkBegun() error {
	if !k.c.mb.hasProbes.Load() {
		return nil
	}
	return k.fail(k.checkProbes())
}

// beginReduce is begin for a reduction with op, which joins the call's
// identity.
func (c *Comm) beginReduce(call collCall, root int, op Op) (coll, error) {
	k, err := c.beginUnchecked(call, root)
	k.red = op.ident()
	if err == nil {
		err = k.checkBegun()
	}
	return k, err
}

func (c *Comm) canBegin(call collCall, root int) error {
	if call.rooted() {
		if err := c.checkRank(callNames[call], root, false); err != nil {
			return err
		}
	}
	return c.mb.aborted()
}

func (k *coll) frame(codec uint8, payload []byte) transport.Frame {
	return transport.Frame{Kind: transport.KindColl, Codec: codec, Op: uint8(k.call), Src: int32(k.c.rank), Comm: k.c.cid,
		Tag: k.seq | int64(k.red)<<redShift, Arg: k.callRoot(), Payload: payload}
}

// sendRaw hands payload (owned by the callee from now on) to dst. An error
// names the call, as every error of a collective does; a send that fails
// after this rank's world was aborted reports the abort's cause (a peer's
// *MismatchError, say) rather than the peer gone.
func (k *coll) sendRaw(ctx context.Context, dst int, codec uint8, payload []byte) error {
	if err := k.c.t.Send(ctx, dst, k.frame(codec, payload)); err != nil {
		if cause := k.c.mb.aborted(); cause != nil {
			err = cause
		}
		return k.wrap(sendErr(err))
	}
	return nil
}

// wrap names the call in err.
func (k *coll) wrap(err error) error {
	return fmt.Errorf("comm: %s: %w", k.name(), err)
}

// sendCopy sends a private copy of payload, for payloads the caller keeps
// or sends to several ranks.
func (k *coll) sendCopy(ctx context.Context, dst int, codec uint8, payload []byte) error {
	if k.c.viewsFor(dst) {
		return k.sendRaw(ctx, dst, codec, payload)
	}
	return k.sendRaw(ctx, dst, codec, clone(payload))
}

// sendValue encodes v and sends it to dst. The raw types are encoded
// without boxing v in an interface, which would allocate.
func sendValue[T any](ctx context.Context, k *coll, dst int, v T) error {
	codec, payload, ok := encodeRaw(&v, k.c.viewsFor(dst))
	if !ok {
		var err error
		if codec, payload, err = k.c.encodeFor(dst, v); err != nil {
			return k.wrap(err)
		}
	}
	return k.sendRaw(ctx, dst, codec, payload)
}

func (k *coll) ack(ctx context.Context, dst int) error {
	return k.sendRaw(ctx, dst, codecNone, nil)
}

// recvFrame waits for the next collective frame from src and checks that
// src is in the same call.
func (k *coll) recvFrame(ctx context.Context, src int) (transport.Frame, error) {
	return k.waitFrame(ctx, k.postRecv(src), src)
}

// postRecv posts the receive of the next collective frame from src. Posting
// before sending to a peer that sends back at once lets its frame complete
// the receive directly instead of waiting in the queue of unexpected frames
// (fewer cache lines between the cores, as MPI's Irecv-Send-Wait).
func (k *coll) postRecv(src int) *waiter {
	w := getWaiter(transport.KindColl, k.c.cid, int32(src), 0)
	k.c.mb.post(w)
	return w
}

// dropRecv withdraws a receive posted by postRecv that will not be waited
// for (the call is failing).
func (k *coll) dropRecv(w *waiter) {
	k.c.mb.cancel(w) // if it was matched, cancel returns once it is complete
	putWaiter(w)
}

// waitFrame completes a receive posted by postRecv.
func (k *coll) waitFrame(ctx context.Context, w *waiter, src int) (transport.Frame, error) {
	f, err := k.c.mb.waitWatching(ctx, w, k, src)
	putWaiter(w)
	if err != nil {
		return f, k.wrap(err)
	}
	if seq, red := tagSeq(f.Tag), tagRed(f.Tag); seq != k.seq || collCall(f.Op) != k.call || f.Arg != k.callRoot() || red != k.red {
		peer := callName(collCall(f.Op), f.Arg, red)
		if seq != k.seq && k.stageOf == nil { // a stage's numbers are its own
			peer = fmt.Sprintf("%s as its call #%d", peer, seq)
		}
		return f, &MismatchError{Seq: k.seq, Rank: k.c.rank, Call: k.name(), Peer: src, PeerCall: peer}
	}
	return f, nil
}

func (k *coll) recvAck(ctx context.Context, src int) error {
	f, err := k.recvFrame(ctx, src)
	if err == nil && f.Codec != codecNone {
		err = k.notAck(src, f)
	}
	return err
}

func (k *coll) notAck(src int, f transport.Frame) error {
	return fmt.Errorf("comm: %s: expected an acknowledgement from rank %d, got %d bytes", k.name(), src, len(f.Payload))
}

func recvValue[T any](ctx context.Context, k *coll, src int) (T, error) {
	f, err := k.recvFrame(ctx, src)
	return decodeFrame[T](k, f, src, err)
}

// exchangeValue sends v to dst and receives a value from src, posting the
// receive first (see postRecv).
func exchangeValue[T any](ctx context.Context, k *coll, dst int, v T, src int) (T, error) {
	w := k.postRecv(src)
	if err := sendValue(ctx, k, dst, v); err != nil {
		k.dropRecv(w)
		var zero T
		return zero, err
	}
	f, err := k.waitFrame(ctx, w, src)
	return decodeFrame[T](k, f, src, err)
}

func decodeFrame[T any](k *coll, f transport.Frame, src int, err error) (T, error) {
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := decodeAs[T](f.Codec, f.Payload)
	if err != nil {
		return v, fmt.Errorf("comm: %s: from rank %d: %w", k.name(), src, err)
	}
	return v, nil
}

// fail makes a collective error fatal for the world view of this rank:
// after a mismatch the sequence numbers can no longer be trusted.
// A mismatch this rank found is told to every peer first (coll_mismatch.go).
func (k *coll) fail(err error) error {
	if err != nil {
		k.tellMismatch(err)
		k.c.mb.abort(err)
	}
	return err
}
