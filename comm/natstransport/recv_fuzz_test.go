package natstransport

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/comm/transport"
	"github.com/nats-io/nats.go"
)

// frameRecorder is a Handler that keeps what the transport hands it.
type frameRecorder struct {
	mu     sync.Mutex
	frames []transport.Frame
	fails  []string
}

func (r *frameRecorder) Deliver(f transport.Frame) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.frames = append(r.frames, f)
}
func (r *frameRecorder) PeerClosed(int) {}
func (r *frameRecorder) PeerFailed(rank int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fails = append(r.fails, fmt.Sprint(rank, " ", err))
}

// receiver is rank 0 of a 3-rank NATS transport with no connection, fed
// messages by hand; it grants no credit (there is no bus to send it on).
func receiver(maxFrame int64) (*Transport, *frameRecorder) {
	t := newTransport("job", 0, 3)
	t.grantStep = math.MaxInt64 / 4
	if maxFrame > 0 {
		t.maxFrame = maxFrame
	}
	rec := &frameRecorder{}
	t.h = rec
	return t, rec
}

func natsMsg(src int, typ natsMsgType, arg uint64, payload []byte) *nats.Msg {
	b := make([]byte, natsPrefix, natsPrefix+len(payload))
	putNATSPrefix(b, &transport.Frame{Kind: transport.KindP2P, Src: int32(src)}, typ, arg)
	return &nats.Msg{Subject: jobenv.SubjectFrame("job", 0, src), Data: append(b, payload...)}
}

// TestNATSSenderChecked: a message whose prefix names another sender than
// its subject (a rank forging another's frame, its farewell or its
// credit) fails the world with an error naming both, and is not
// delivered.
func TestNATSSenderChecked(t *testing.T) {
	for _, typ := range []natsMsgType{natsWhole, natsBye, natsCredit} {
		tr, rec := receiver(0)
		m := natsMsg(2, typ, 0, []byte("forged"))
		binary.LittleEndian.PutUint32(m.Data[natsSenderAt:], 2)
		binary.LittleEndian.PutUint32(m.Data[natsSeqAt:], 1)
		m.Subject = jobenv.SubjectFrame("job", 0, 1)
		tr.onMsg(m)
		if len(rec.fails) != 1 || !strings.Contains(rec.fails[0], "a message on "+m.Subject+" claims to be from rank 2") {
			t.Errorf("%v: reported %q, want one failure naming the subject and rank 2", typ, rec.fails)
		}
		if len(rec.frames) != 0 {
			t.Errorf("%v: delivered %d frames", typ, len(rec.frames))
		}
	}
}

// deliver hands m to tr as the next message in sequence from the rank its
// frame header names, on that rank's subject.
func deliver(tr *Transport, m *nats.Msg) {
	b := m.Data
	if m.Reply != "" {
		b, _ = hex.DecodeString(m.Reply)
	}
	if len(b) >= natsPrefix {
		if src := int(int32(binary.LittleEndian.Uint32(b[3:]))); src >= 0 && src < tr.size {
			binary.LittleEndian.PutUint32(b[natsSenderAt:], uint32(src))
			binary.LittleEndian.PutUint32(b[natsSeqAt:], tr.rx[src].seq+1)
			if m.Reply != "" {
				m.Reply = hex.EncodeToString(b)
			}
			m.Subject = tr.from[src]
		}
	}
	tr.onMsg(m)
}

// TestNATSAnnouncedSizeBounded: a first chunk announcing more than the
// receiver accepts fails the world with an error naming the sender, before
// anything is allocated for it.
func TestNATSAnnouncedSizeBounded(t *testing.T) {
	for _, tc := range []struct {
		name     string
		maxFrame int64
		size     uint64
	}{
		{"64GiB", 1 << 30, 64 << 30},
		{"maxInt", 0, uint64(maxInt)},
		{"2^64-1", 0, math.MaxUint64},
		{"beyond memory", 0, uint64(maxFrameBytes()) + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr, rec := receiver(tc.maxFrame)
			deliver(tr, natsMsg(2, natsFirst, tc.size, []byte("abc")))
			if len(rec.fails) != 1 || !strings.Contains(rec.fails[0], "rank 2 announced a frame of") {
				t.Fatalf("reported %q, want one failure naming rank 2", rec.fails)
			}
			if tr.rx[2].buf != nil {
				t.Fatalf("allocated %d bytes", len(tr.rx[2].buf))
			}
		})
	}
	t.Run("within", func(t *testing.T) {
		tr, rec := receiver(1 << 20)
		deliver(tr, natsMsg(1, natsFirst, 6, []byte("abc")))
		deliver(tr, natsMsg(1, natsMore, 0, []byte("def")))
		if len(rec.fails) != 0 || len(rec.frames) != 1 || string(rec.frames[0].Payload) != "abcdef" {
			t.Fatalf("fails %q, frames %d", rec.fails, len(rec.frames))
		}
	})
}

// FuzzNATSMessages feeds arbitrary sequences of NATS messages (whole,
// chunked, batched, control, with the prefix in the data or the reply
// subject, mostly in sequence) to a receiver: it never panics or allocates
// beyond its bound, and every frame it delivers is well formed.
func FuzzNATSMessages(f *testing.F) {
	seq := func(msgs ...*nats.Msg) []byte {
		var b []byte
		for _, m := range msgs {
			b = binary.LittleEndian.AppendUint16(b, uint16(len(m.Data)))
			b = append(b, m.Data...)
		}
		return b
	}
	whole := natsMsg(1, natsWhole, 0, []byte("hello"))
	var batch []byte
	batch = appendNATSEntry(batch, &transport.Frame{Kind: transport.KindColl, Src: 2, Tag: 7, Payload: []byte("x")})
	batch = appendNATSEntry(batch, &transport.Frame{Kind: transport.KindP2P, Src: 2, Payload: []byte("yz")})
	f.Add(seq(whole))
	f.Add(seq(natsMsg(2, natsBatch, 2, batch)))
	f.Add(seq(natsMsg(1, natsFirst, 6, []byte("abc")), natsMsg(1, natsMore, 0, []byte("def"))))
	f.Add(seq(natsMsg(1, natsFirst, 1<<40, nil), natsMsg(1, natsAbandon, 0, nil), natsMsg(1, natsBye, 0, nil)))
	f.Add(seq(natsMsg(2, natsCredit, 100, nil)))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, rec := receiver(1 << 20)
		for len(data) >= 2 {
			n := int(binary.LittleEndian.Uint16(data))
			data = data[2:]
			n = min(n, len(data))
			m := &nats.Msg{Data: append([]byte(nil), data[:n]...)}
			data = data[n:]
			var flags byte // the first byte picks how the message travels
			if n > 0 {
				flags = m.Data[0]
			}
			if flags&0x80 != 0 && n >= natsPrefix { // the prefix as a reply subject
				m.Reply = hex.EncodeToString(m.Data[:natsPrefix])
				m.Data = m.Data[natsPrefix:]
			}
			if flags&0x40 != 0 {
				// The sequence number as given, on the subject of the
				// sender the prefix names (past the sender check, as a
				// rank's own messages are).
				p := m.Data
				if m.Reply != "" {
					p, _ = hex.DecodeString(m.Reply)
				}
				if _, src, _, err := parseNATSPrefix(p); err == nil && src >= 0 && src < 3 {
					m.Subject = tr.from[src]
				}
				tr.onMsg(m)
			} else {
				deliver(tr, m)
			}
			if tr.failure() != nil {
				break
			}
		}
		for i := range tr.rx {
			if int64(cap(tr.rx[i].buf)) > 1<<20 {
				t.Fatalf("reassembly buffer of %d bytes past the 1 MiB bound", cap(tr.rx[i].buf))
			}
		}
		for _, fr := range rec.frames {
			if fr.Src < 0 || int(fr.Src) >= 3 || (fr.Kind != transport.KindP2P && fr.Kind != transport.KindColl) {
				t.Fatalf("delivered a malformed frame %+v", fr)
			}
		}
	})
}
