package natstransport

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
)

// errBroken: a message from a source whose sequence already broke.
var errBroken = errors.New("message after a broken sequence")

// Sequence numbers (wire.go) are stamped under the destination's pub lock
// in the order the messages enter the connection, whichever goroutine
// sends them: a caller of Send, the batch flusher, the inbox callback
// granting credit, Close saying bye.

// publishTo publishes msg, a prefix and its data, to dst's inbox with the
// next sequence number towards dst.
func (t *Transport) publishTo(dst int, msg []byte) error {
	p := &t.peers[dst]
	p.pub.Lock()
	defer p.pub.Unlock()
	p.seq++
	t.stamp(msg, p.seq)
	err := t.nc.Publish(t.inbox[dst], msg)
	if err != nil {
		p.seq-- // nothing went out
	}
	return err
}

// publishReplyTo publishes data to dst's inbox with its prefix, stamped
// with the next sequence number towards dst, as the reply subject.
func (t *Transport) publishReplyTo(dst int, prefix []byte, data []byte) error {
	p := &t.peers[dst]
	p.pub.Lock()
	defer p.pub.Unlock()
	p.seq++
	t.stamp(prefix, p.seq)
	err := t.nc.PublishRequest(t.inbox[dst], hex.EncodeToString(prefix[:natsPrefix]), data)
	if err != nil {
		p.seq--
	}
	return err
}

// stamp writes this rank as the sender, and seq, into a prefix.
func (t *Transport) stamp(b []byte, seq uint32) {
	binary.LittleEndian.PutUint32(b[natsSenderAt:], uint32(t.rank))
	binary.LittleEndian.PutUint32(b[natsSeqAt:], seq)
}

// inSequence checks the sequence number of a message from src against
// the one expected next, and records it. After a gap nothing more from
// src is in sequence: what follows it can only be handed over wrongly.
func (t *Transport) inSequence(src int, b []byte) error {
	rx := &t.rx[src]
	if rx.broken {
		return errBroken
	}
	got, want := binary.LittleEndian.Uint32(b[natsSeqAt:]), rx.seq+1
	if got == want {
		rx.seq = got
		return nil
	}
	rx.broken = true
	if int32(got-want) > 0 { // ahead, modulo 2^32
		return fmt.Errorf("message %d from rank %d to rank %d was lost: message %d arrived in its place", want, src, t.rank, got)
	}
	return fmt.Errorf("message %d from rank %d to rank %d arrived out of order or twice: expected message %d", got, src, t.rank, want)
}
