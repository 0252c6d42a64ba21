package natstransport

import (
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/gorun-dev/gorun/comm/transport"
	"github.com/nats-io/nats.go"
)

// onMsg is the inbox callback. NATS runs it on one goroutine per
// subscription, so the frames of one source are handled in order and the
// reassembly state needs no lock.
func (t *Transport) onMsg(m *nats.Msg) {
	// m.Data is a fresh buffer per message: the handler may own it. The
	// prefix leads it, or rides in the reply subject of a large message.
	b, data := m.Data, []byte(nil)
	if m.Reply != "" {
		var err error
		if b, err = parseNATSReply(m.Reply); err != nil {
			t.fail(err)
			return
		}
		data = m.Data[:len(m.Data):len(m.Data)]
	} else if len(b) >= natsPrefix {
		data = b[natsPrefix:len(b):len(b)]
	}
	size := natsPrefix + len(data) // what the sender paid credit for
	typ, src, arg, err := parseNATSPrefix(b)
	if err == nil && (src < 0 || src >= t.size) {
		err = fmt.Errorf("comm: nats: message from rank %d in a world of %d", src, t.size)
	}
	if err == nil && m.Subject != t.from[src] {
		err = fmt.Errorf("comm: nats: a message on %s claims to be from rank %d", m.Subject, src)
	}
	if err == nil {
		err = t.inSequence(src, b)
	}
	if err != nil {
		t.fail(err)
		return
	}
	rx := &t.rx[src]
	prompt := typ&natsPrompt != 0
	typ &^= natsPrompt
	if prompt {
		defer t.grantNow(src)
	}
	switch typ {
	case natsWhole:
		var f transport.Frame
		if err := t.parseHeader(&f, b); err != nil {
			t.fail(fmt.Errorf("frame from rank %d: %w", src, err))
			return
		}
		f.Payload = data
		t.h.Deliver(f)
		t.consumed(src, size)
	case natsBatch:
		body := data
		for range arg {
			f, rest, err := nextNATSEntry(body)
			if err == nil {
				err = t.checkFrameSrc(&f)
			}
			if err != nil {
				t.fail(fmt.Errorf("batch from rank %d: %w", src, err))
				return
			}
			t.h.Deliver(f)
			body = rest
		}
		t.consumed(src, size)
	case natsFirst:
		if rx.buf != nil {
			t.fail(fmt.Errorf("rank %d started a frame inside another", src))
			return
		}
		if err := t.parseHeader(&rx.f, b); err != nil {
			t.fail(fmt.Errorf("frame from rank %d: %w", src, err))
			return
		}
		if arg > uint64(t.maxFrame) {
			t.fail(fmt.Errorf("rank %d announced a frame of %d bytes, more than the %d this rank accepts", src, arg, t.maxFrame))
			return
		}
		rx.buf = transport.AlignedPayload(int(arg))
		rx.off = 0
		t.chunk(src, rx, data)
	case natsMore:
		if rx.buf == nil {
			t.fail(fmt.Errorf("chunk from rank %d outside a frame", src))
			return
		}
		t.chunk(src, rx, data)
	case natsCredit:
		msgs := int64(binary.LittleEndian.Uint64(b[11:])) // the Tag field
		t.peers[src].grant(int64(arg) + msgs*t.msgOverhead)
		t.releaseRouted(src, int64(arg))
	case natsAbandon:
		rx.buf, rx.off = nil, 0
	case natsBye:
		rx.buf, rx.off = nil, 0
		t.peers[src].fail(&transport.RankFailedError{Rank: src, Reason: "exited; message not delivered"})
		if arg > 0 && arg <= uint64(t.size) {
			// src left because rank arg-1 failed: fail-stop, as the launcher
			// will, and blame the rank that failed first.
			t.h.PeerFailed(int(arg-1), nil)
		}
		t.h.PeerClosed(src)
	default:
		t.fail(fmt.Errorf("message of unknown type %d from rank %d", typ, src))
	}
}

const maxInt = int(^uint(0) >> 1)

// chunk appends one chunk to the frame being reassembled from src and
// delivers the frame once it is complete.
func (t *Transport) chunk(src int, rx *natsRx, data []byte) {
	if len(data) > len(rx.buf)-rx.off {
		t.fail(fmt.Errorf("rank %d sent %d bytes past its %d-byte frame", src, rx.off+len(data)-len(rx.buf), len(rx.buf)))
		return
	}
	rx.off += copy(rx.buf[rx.off:], data)
	t.collectChunks(len(rx.buf), len(data))
	if rx.off == len(rx.buf) {
		f := rx.f
		f.Payload = rx.buf
		rx.buf, rx.off = nil, 0
		t.h.Deliver(f)
	}
	t.consumed(src, natsPrefix+len(data))
}

// consumed records that n bytes from src were handed over and grants them
// back in steps.
func (t *Transport) consumed(src, n int) {
	rx := &t.rx[src]
	rx.ungrantedBytes += int64(n)
	rx.ungrantedMsgs++
	if rx.ungrantedBytes+rx.ungrantedMsgs*t.msgOverhead < t.grantStep {
		return
	}
	t.grantNow(src)
}

// grantNow grants src every byte consumed and not yet granted.
func (t *Transport) grantNow(src int) {
	rx := &t.rx[src]
	if rx.ungrantedMsgs == 0 {
		return
	}
	// The grant counts bytes and messages; the sender prices them itself.
	msg := controlMsg(t.rank, natsCredit, uint64(rx.ungrantedBytes))
	binary.LittleEndian.PutUint64(msg[11:], uint64(rx.ungrantedMsgs)) // the Tag field
	rx.ungrantedBytes, rx.ungrantedMsgs = 0, 0
	if err := t.publishTo(src, msg); err != nil {
		t.fail(fmt.Errorf("granting credit to rank %d: %w", src, err))
	}
}

// Send buffers: a message is assembled (prefix + data) in a pooled buffer
// that NATS copies from, so sends allocate nothing in the steady state.
var (
	natsSmallBufs sync.Pool // cap <= natsSmallBuf
	natsLargeBufs sync.Pool
)

const natsSmallBuf = 64 << 10

func getNATSBuf(n int) *[]byte {
	pool := &natsLargeBufs
	if n <= natsSmallBuf {
		pool = &natsSmallBufs
	}
	if v := pool.Get(); v != nil {
		bp := v.(*[]byte)
		if cap(*bp) >= n {
			*bp = (*bp)[:n]
			return bp
		}
	}
	c := n
	if n <= natsSmallBuf {
		c = max(n, 256)
	}
	b := make([]byte, n, c)
	return &b
}

func putNATSBuf(bp *[]byte) {
	if cap(*bp) <= natsSmallBuf {
		natsSmallBufs.Put(bp)
		return
	}
	natsLargeBufs.Put(bp)
}

// parseHeader reads the frame header at the start of b into f and checks it
// as checkFrameSrc does.
func (t *Transport) parseHeader(f *transport.Frame, b []byte) error {
	if err := f.ParseHeader(b); err != nil {
		return err
	}
	return t.checkFrameSrc(f)
}

// checkFrameSrc refuses a frame whose source rank cannot exist: Src is the
// sender's rank in the frame's communicator, and no communicator is larger
// than the world.
func (t *Transport) checkFrameSrc(f *transport.Frame) error {
	if f.Src < 0 || int(f.Src) >= t.size {
		return fmt.Errorf("comm: nats: frame names source rank %d in a world of %d", f.Src, t.size)
	}
	return nil
}
