package comm

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/gorun-dev/gorun/comm/natstransport"
	"github.com/gorun-dev/gorun/comm/transport"
)

// hybridTransport is a rank of a hybrid world: its process holds some of
// the world's ranks as goroutines. A frame to a rank of this process goes
// through the goroutine transport (the receiver's mailbox, on the
// sender's goroutine); a frame to any other rank goes over the bus. Each
// destination always takes the same path, so frames from one sender to
// one receiver keep their order.
//
// It declares none of the shared-memory abilities: collectives over a
// world that spans processes move messages. hybridSharedTransport is the
// same when the process holds every rank.
type hybridTransport struct {
	rank, size int
	local      *localTransport          // over a world of size slots; only this process's ranks start
	remote     *natstransport.Transport // this rank's connection to the bus
	here       []bool                   // here[r]: rank r lives in this process
	sentHere   []atomic.Int64           // payload bytes sent to each rank of this process
}

var (
	_ transport.Transport     = (*hybridTransport)(nil)
	_ transport.FailedLeaver  = (*hybridTransport)(nil)
	_ transport.Counting      = (*hybridTransport)(nil)
	_ transport.CopyingSendTo = (*hybridTransport)(nil)

	_ transport.BackgroundSender = (*hybridTransport)(nil)
)

// CopiesOnSendTo declares transport.CopyingSendTo: the bus copies what it
// sends; a frame to a rank of this process is handed over as is.
func (t *hybridTransport) CopiesOnSendTo(dst int) bool { return !t.here[dst] }

// SentBytes declares transport.Counting, over both paths.
func (t *hybridTransport) SentBytes(dst int) int64 {
	if t.here[dst] {
		return t.sentHere[dst].Load()
	}
	return t.remote.SentBytes(dst)
}

func (t *hybridTransport) Rank() int { return t.rank }
func (t *hybridTransport) Size() int { return t.size }

// Start registers h with both paths: frames and failures from this
// process's ranks come through the goroutine transport, the rest from
// the bus.
func (t *hybridTransport) Start(h transport.Handler) error {
	if err := t.local.Start(h); err != nil {
		return err
	}
	return t.remote.Start(h)
}

func (t *hybridTransport) Send(ctx context.Context, dst int, f transport.Frame) error {
	if t.here[dst] {
		t.sentHere[dst].Add(int64(len(f.Payload)))
		return t.local.Send(ctx, dst, f)
	}
	return t.remote.Send(ctx, dst, f)
}

// SendBackground declares transport.BackgroundSender: a frame to another
// process goes through the bus's send queue; one to a rank of this
// process is handed over at once, as Send does.
func (t *hybridTransport) SendBackground(ctx context.Context, dst int, f transport.Frame, done func(error)) {
	if t.here[dst] {
		done(t.Send(ctx, dst, f))
		return
	}
	t.remote.SendBackground(ctx, dst, f, done)
}

// SendsAtOnce declares transport.BackgroundSender: a rank of this process
// always; another as the bus says.
func (t *hybridTransport) SendsAtOnce(dst, n int) bool {
	return t.here[dst] || t.remote.SendsAtOnce(dst, n)
}

// Close leaves both: the goroutine ranks of this process hear it at once,
// the others over the bus after this rank's last frame to them.
func (t *hybridTransport) Close() error {
	return errors.Join(t.local.Close(), t.remote.Close())
}

// LeaveFailed and LeaveAborted tell the other processes' ranks why this
// rank leaves; this process's ranks are aborted by RunWorld itself.
func (t *hybridTransport) LeaveFailed(origin int) { t.remote.LeaveFailed(origin) }
func (t *hybridTransport) LeaveAborted()          { t.remote.LeaveAborted() }

// hybridSharedTransport is a hybrid world's rank whose process holds the
// whole world (a hybrid job on one host): every frame goes through the
// goroutine transport, and collectives may work in shared memory as in a
// goroutine world. The bus carries only the ready barrier, progress and
// the launcher's abort notice.
type hybridSharedTransport struct{ *hybridTransport }

func (t hybridSharedTransport) DeliversDirectly() {}
func (t hybridSharedTransport) SharesMemory()     {}

var (
	_ transport.DirectDelivery = hybridSharedTransport{}
	_ transport.SharedMemory   = hybridSharedTransport{}
	_ transport.FailedLeaver   = hybridSharedTransport{}
	_ transport.Counting       = hybridSharedTransport{}
)
