package natstransport

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/transport"
	"github.com/nats-io/nats.go"
)

// Transport carries the frames of one rank over a NATS bus: one
// connection per rank and exactly one inbox subscription, so that every
// frame from one sender (data and control) travels one ordered path.
//
// Frames larger than natsChunkData (or the server's MaxPayload) are sent
// as chunks and reassembled per source (recv.go); credit-based flow
// control (flow.go) bounds the bytes and messages in flight, so the
// bus never cuts a rank off as a slow consumer; small frames that find the
// window full are batched (send.go); any error the bus reports fails
// the world loudly through Handler.PeerFailed. The wire format is in
// wire.go.
type Transport struct {
	rank, size  int
	job         string
	nc          *nats.Conn
	inbox       []string // subject of frames to each rank from this one
	from        []string // subject of frames to this rank from each rank
	maxData     int      // the largest frame payload sent as one NATS message
	chunkData   int      // payload bytes per chunk of a larger frame
	window      int64    // credit window per destination
	grantStep   int64    // the receiver grants credit in steps of this much
	msgOverhead int64    // credit a NATS message costs beyond its bytes
	maxFrame    int64    // the largest frame accepted (nats_limits.go)

	peers []natsPeer // send side, per destination
	rx    []natsRx   // receive side, per source; used by the inbox callback only

	chunkGarbage int // bytes of chunks copied since the last collection (collect.go); inbox callback only

	mu    sync.Mutex
	h     transport.Handler
	early error // a failure reported before Start

	failedOrigin atomic.Int64 // 0, or 1 + the rank whose failure this rank leaves over; -1: the job was aborted

	batches atomic.Int64 // batch messages sent, for tests

	place       atomic.Pointer[placement] // where the ranks run, once SetNodes said (route.go)
	routeWindow atomic.Int64              // SetRouteWindow's budget per route; 0: natsRouteWindow

	closing  atomic.Bool
	done     chan struct{} // closed when the transport closes or fails
	doneOnce sync.Once
	doneErr  error // why done was closed; written before close(done)
}

var _ transport.Transport = (*Transport)(nil)

// natsRx is the reassembly state of the large frame a source is sending.
type natsRx struct {
	f      transport.Frame // header of the frame being reassembled
	buf    []byte          // nil when no frame is in progress
	off    int
	seq    uint32 // the sequence number of the last message from the source
	broken bool   // a message from the source was lost or reordered
	// bytes and NATS messages handed over and not yet granted back
	ungrantedBytes, ungrantedMsgs int64
}

// Frames with up to natsWholeData payload bytes travel as one NATS message
// (when the server allows it), so a 1 MiB frame needs no reassembly copy;
// larger ones as chunks of natsChunkData. 64 MiB in 256 KiB chunks costs
// about 20% less CPU here than in 1 or 8 MiB ones: they stay in cache and
// pipeline through sender, server and receiver.
const (
	natsWholeData = 1 << 20
	natsChunkData = 256 << 10
)

// natsChunkMax, when > 0, sets the NATS message size (prefix included) of
// whole frames and chunks alike, up to what the server allows. Tests use
// it to exercise chunking cheaply and to compare chunk sizes.
var natsChunkMax = 0

// dialTimeout bounds connecting to the bus (TCP and the NATS handshake)
// when ctx has no deadline. nats.go's default of 2 s fails ranks that start
// while their host is busy; it matches natsbus.AuthTimeout.
const dialTimeout = 10 * time.Second

// Dial connects rank of a world of size ranks to the bus at url for job
// (the prefix of the job's subjects, jobenv.SubjectInbox) and returns its
// transport, not yet started. A ctx deadline bounds the connection, else
// 10 s do. Whoever starts the ranks runs the ready barrier
// (jobenv.SubjectReady) between Start and the first Send; comm.JoinNATS
// does both.
func Dial(ctx context.Context, url, token, job string, rank, size int) (*Transport, error) {
	t := newTransport(job, rank, size)
	opts := t.natsOptions(token)
	timeout := dialTimeout
	if dl, ok := ctx.Deadline(); ok {
		timeout = max(time.Until(dl), time.Millisecond)
	}
	opts = append(opts, nats.Timeout(timeout))
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, err
	}
	t.attach(nc)
	return t, nil
}

// Conn is the transport's connection to the bus, for the job's own
// control subjects (ready, progress, usage); frames must go through Send.
func (t *Transport) Conn() *nats.Conn { return t.nc }

// newTransport makes a transport for rank of size over job. The
// connection is attached later with attach, so that its callbacks can be
// registered on the transport before connecting.
func newTransport(job string, rank, size int) *Transport {
	t := &Transport{
		rank: rank, size: size, job: job,
		inbox:  make([]string, size),
		from:   make([]string, size),
		window: natsWindow(size),
		peers:  make([]natsPeer, size),
		rx:     make([]natsRx, size),
		done:   make(chan struct{}),
	}
	t.grantStep = t.window / 4
	t.msgOverhead = t.window / natsMaxMsgs
	t.maxFrame = maxFrameBytes()
	for r := range size {
		t.inbox[r] = jobenv.SubjectFrame(job, r, rank)
		t.from[r] = jobenv.SubjectFrame(job, rank, r)
		t.peers[r].init()
	}
	return t
}

// attach sets the connection and sizes chunks from its MaxPayload.
func (t *Transport) attach(nc *nats.Conn) {
	t.nc = nc
	msg := min(nc.MaxPayload(), t.window/2)
	if natsChunkMax > 0 {
		msg = min(msg, int64(natsChunkMax))
	}
	t.maxData = max(min(int(msg)-natsPrefix, natsWholeData), 1)
	t.chunkData = min(t.maxData, natsChunkData)
	if natsChunkMax > 0 {
		t.maxData = max(int(msg)-natsPrefix, 1)
		t.chunkData = t.maxData
	}
}

// natsOptions are the connection options of a rank: its credentials (a
// rank's own user, jobenv.Credentials, or the job's token), no reconnect
// (a lost bus ends the job), a short ping interval, replies under the
// rank's own prefix, and every asynchronous event routed to the transport.
func (t *Transport) natsOptions(secret string) []nats.Option {
	auth := nats.Token(secret)
	if user, pass, ok := jobenv.SplitCredentials(secret); ok {
		auth = nats.UserInfo(user, pass)
	}
	return []nats.Option{
		nats.Name("gorun rank " + strconv.Itoa(t.rank)),
		auth,
		nats.CustomInboxPrefix(jobenv.InboxPrefix(t.job, t.rank)),
		nats.NoReconnect(),
		nats.PingInterval(natsPingInterval),
		nats.MaxPingsOutstanding(natsMaxPingsOut),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subj := ""
			if sub != nil {
				subj = " on " + sub.Subject
			}
			t.fail(fmt.Errorf("bus error%s: %w", subj, err))
		}),
		nats.DisconnectErrHandler(func(nc *nats.Conn, err error) {
			if err == nil {
				err = nc.LastError()
			}
			if err == nil {
				err = errors.New("disconnected")
			}
			t.fail(fmt.Errorf("bus connection lost: %w", err))
		}),
		nats.ClosedHandler(func(*nats.Conn) { t.fail(errors.New("bus connection lost: closed")) }),
	}
}

func (t *Transport) Rank() int { return t.rank }
func (t *Transport) Size() int { return t.size }

// Start subscribes to this rank's inbox and to the job's abort subject and
// waits until the server has registered both.
func (t *Transport) Start(h transport.Handler) error {
	t.mu.Lock()
	if t.h != nil {
		t.mu.Unlock()
		return errors.New("comm: nats transport started twice")
	}
	t.h = h
	early := t.early
	t.mu.Unlock()
	if early != nil {
		h.PeerFailed(-1, early)
	}
	inbox, err := t.nc.Subscribe(jobenv.SubjectInboxAll(t.job, t.rank), t.onMsg)
	if err != nil {
		return fmt.Errorf("comm: nats: inbox subscription: %w", err)
	}
	abort, err := t.nc.Subscribe(jobenv.SubjectAbort(t.job), t.onAbort)
	if err != nil {
		return fmt.Errorf("comm: nats: abort subscription: %w", err)
	}
	for _, s := range []*nats.Subscription{inbox, abort} {
		if err := s.SetPendingLimits(-1, -1); err != nil {
			return fmt.Errorf("comm: nats: pending limits: %w", err)
		}
	}
	if err := t.nc.Flush(); err != nil {
		return fmt.Errorf("comm: nats: subscribing: %w", err)
	}
	return nil
}

// failure is the error senders get once done is closed.
func (t *Transport) failure() error { return t.doneErr }

// finish closes done once, recording why.
func (t *Transport) finish(err error) {
	t.doneOnce.Do(func() {
		t.doneErr = err
		close(t.done)
	})
}

// fail reports a failure of the whole world (the bus), once, unless the
// transport is closing on purpose.
func (t *Transport) fail(err error) { t.end(fmt.Errorf("comm: nats: %w", err)) }

// end fails the whole world with err, once, unless the transport is
// closing on purpose.
func (t *Transport) end(err error) {
	if t.closing.Load() {
		t.finish(fmt.Errorf("%w: %v", transport.ErrAborted, err)) // wake a Close waiting for credit
		return
	}
	first := false
	t.doneOnce.Do(func() {
		first = true
		t.doneErr = fmt.Errorf("%w: %v", transport.ErrAborted, err)
		close(t.done)
	})
	if !first {
		return
	}
	t.mu.Lock()
	h := t.h
	if h == nil {
		t.early = err
	}
	t.mu.Unlock()
	if h != nil {
		h.PeerFailed(-1, err)
	}
}

// onAbort handles the launcher's "<rank> <reason>" notice.
func (t *Transport) onAbort(m *nats.Msg) {
	s := string(m.Data)
	rs, reason, _ := strings.Cut(s, " ")
	rank, err := strconv.Atoi(rs)
	if err == nil && rank == -1 && reason != "" {
		t.end(errors.New(reason)) // the launcher ended the job: a timeout, a signal
		return
	}
	if err != nil || rank < 0 || rank >= t.size {
		t.fail(fmt.Errorf("bad abort notice %q", s))
		return
	}
	if reason == "" {
		reason = "failed"
	}
	cause := errors.New(reason)
	t.peers[rank].fail(&transport.RankFailedError{Rank: rank, Reason: reason})
	t.handler().PeerFailed(rank, cause)
}

func (t *Transport) handler() transport.Handler {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.h
}

// LeaveFailed declares transport.FailedLeaver: Close tells every peer that
// this rank leaves over the failure of rank origin.
func (t *Transport) LeaveFailed(origin int) { t.failedOrigin.Store(int64(origin) + 1) }

// leaveAborted makes Close say no bye: the job was aborted, every peer
// hears why from the launcher, and a bye would only race that notice.
// LeaveAborted declares transport.FailedLeaver: Close tells every peer that
// this rank leaves because the job was aborted.
func (t *Transport) LeaveAborted() { t.failedOrigin.Store(-1) }

// closeTimeout bounds how long Close waits for live peers to take what
// this rank still has to send them.
var closeTimeout = 30 * time.Second

// Close sends what is still queued and batched, says bye to every peer
// after this rank's last frame, flushes and closes the connection. A frame batched
// for a peer that has failed or left is dropped. Close never hangs: a
// live peer that has not taken the frames still queued for it (by credit)
// within closeTimeout makes Close give up on them and return an error, and
// a Send still waiting for credit then returns ErrClosed.
func (t *Transport) Close() error {
	if !t.closing.CompareAndSwap(false, true) {
		return nil
	}
	if t.nc == nil {
		t.finish(transport.ErrClosed)
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	// Senders waiting for credit give up at the deadline, so that a large
	// frame in progress releases p.large below.
	defer context.AfterFunc(ctx, func() { t.finish(transport.ErrClosed) })()
	var err error
	healthy := t.nc.IsConnected()
	for dst := range t.size {
		if t.failedOrigin.Load() < 0 {
			break // the job was aborted: nobody reads what is queued
		}
		if e := t.waitQueue(ctx, dst); e != nil && err == nil {
			err = e
		}
	}
	for dst := range t.size {
		if dst == t.rank || t.failedOrigin.Load() < 0 {
			continue
		}
		p := &t.peers[dst]
		p.large.Lock()
		p.mu.Lock()
		_ = t.drained(ctx, p) // gives up if dst or the bus fails
		p.mu.Unlock()
		if ctx.Err() != nil && err == nil {
			err = fmt.Errorf("rank %d did not take delivery of the frames sent to it within %v", dst, closeTimeout)
		}
		if e := t.publishTo(dst, controlMsg(t.rank, natsBye, uint64(t.failedOrigin.Load()))); e != nil && err == nil {
			err = e
		}
		p.large.Unlock()
	}
	if err == nil {
		err = t.nc.FlushTimeout(10 * time.Second)
	}
	t.finish(transport.ErrClosed) // anyone still waiting for credit gives up
	t.nc.Close()
	if err != nil && healthy {
		return fmt.Errorf("comm: nats: close: %w", err)
	}
	return nil
}
