package natstransport

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"github.com/gorun-dev/gorun/comm/transport"
)

// The wire format of the NATS transport. Every NATS message on a rank's
// inbox starts with a fixed prefix of natsPrefix bytes:
//
//	[0:23)  Frame header (PutHeader); control messages carry only Src
//	[23]    message type (natsWhole, natsFirst, ...)
//	[24:32) little-endian uint64 argument (total size, granted credit)
//	[32:36) little-endian uint32 world rank of the sending transport
//	[36:40) little-endian uint32 sequence number of the message
//
// and data messages continue with payload bytes. The prefix is a multiple
// of 8 so that a payload starting after it in a fresh NATS buffer is 8-byte
// aligned and numeric slices can be viewed in place.
//
// The frame header's Src is the sender's rank in the frame's communicator;
// the transport keys its flow control, reassembly and sequence checks on
// the sender's world rank at [32:36).
//
// Sequence numbers count the NATS messages (of every type) one rank sends
// to one other rank, from 1, modulo 2^32. NATS delivers at most once, in
// order per connection and subscription, so the receiver must see 1, 2,
// 3...; a gap or a step back is a lost or reordered message and fails the
// world with an error naming both ranks and the missing number (seq.go),
// instead of a wrong answer or a hang.
const (
	natsPrefix   = 40
	natsSenderAt = 32
	natsSeqAt    = 36
)

// Batch entries (appendNATSEntry) carry no sequence number of their own:
// their batch message has one. Their header is the first natsEntryPrefix
// bytes of a prefix.
const natsEntryPrefix = 32

// natsMsgType is what one NATS message carries of a frame, or a control
// message of this transport; the frame's own transport.Kind travels inside.
type natsMsgType uint8

const (
	natsWhole   natsMsgType = 1 // a complete frame
	natsFirst   natsMsgType = 2 // first chunk of a large frame; arg = total payload size
	natsMore    natsMsgType = 3 // next chunk of the frame being reassembled
	natsCredit  natsMsgType = 4 // the receiver consumed arg bytes in Tag NATS messages
	natsBye     natsMsgType = 5 // the sender left; it sends nothing after this. arg 0: cleanly, else 1 + the rank whose failure made it leave
	natsAbandon natsMsgType = 6 // the sender gave up on its partly sent frame
	natsBatch   natsMsgType = 7 // arg small frames, each an entry (see appendNATSEntry)
)

func (k natsMsgType) String() string {
	switch k {
	case natsWhole:
		return "whole"
	case natsFirst:
		return "first"
	case natsMore:
		return "more"
	case natsCredit:
		return "credit"
	case natsBye:
		return "bye"
	case natsAbandon:
		return "abandon"
	case natsBatch:
		return "batch"
	}
	return fmt.Sprintf("type(%d)", uint8(k))
}

// putNATSPrefix writes the prefix of one NATS message into b, all but its
// sequence number, which is stamped as it is published (seq.go).
func putNATSPrefix(b []byte, f *transport.Frame, typ natsMsgType, arg uint64) {
	f.PutHeader(b)
	b[23] = byte(typ)
	binary.LittleEndian.PutUint64(b[24:], arg)
}

// controlMsg builds a control message (no payload) from rank src.
func controlMsg(src int, typ natsMsgType, arg uint64) []byte {
	b := make([]byte, natsPrefix)
	putNATSPrefix(b, &transport.Frame{Kind: transport.KindP2P, Src: int32(src)}, typ, arg)
	binary.LittleEndian.PutUint32(b[natsSenderAt:], uint32(src))
	return b
}

// Messages of at least natsReplyMin payload bytes carry their prefix in
// hex as the NATS reply subject instead (the transport never replies), so
// the sender publishes the caller's payload as is, without first copying
// it behind a prefix, and the receiver gets it alone in a fresh, 8-byte
// aligned buffer.
const natsReplyMin = 64 << 10

// parseNATSReply decodes a prefix sent as a reply subject.
func parseNATSReply(s string) ([]byte, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != natsPrefix {
		return nil, fmt.Errorf("comm: nats: bad message prefix %q", s)
	}
	return b, nil
}

// parseNATSPrefix reads the type, sender (a world rank) and argument of a
// NATS message.
func parseNATSPrefix(b []byte) (typ natsMsgType, src int, arg uint64, err error) {
	if len(b) < natsPrefix {
		return 0, 0, 0, fmt.Errorf("comm: nats: short message of %d bytes", len(b))
	}
	typ = natsMsgType(b[23])
	src = int(int32(binary.LittleEndian.Uint32(b[natsSenderAt:])))
	arg = binary.LittleEndian.Uint64(b[24:])
	return typ, src, arg, nil
}

// A batch entry is one small frame: a natsWhole entry header whose
// argument is the payload length, the payload, and zero padding to a
// multiple of 8, so every entry starts 8-byte aligned.
func natsEntrySize(payload int) int { return natsEntryPrefix + (payload+7)&^7 }

// appendNATSEntry appends f as a batch entry to b.
func appendNATSEntry(b []byte, f *transport.Frame) []byte {
	n := len(b)
	b = append(b, make([]byte, natsEntrySize(len(f.Payload)))...)
	putNATSPrefix(b[n:], f, natsWhole, uint64(len(f.Payload)))
	copy(b[n+natsEntryPrefix:], f.Payload)
	return b
}

// nextNATSEntry splits the first entry off a batch body.
func nextNATSEntry(b []byte) (f transport.Frame, rest []byte, err error) {
	if err := f.ParseHeader(b); err != nil {
		return f, nil, err
	}
	if len(b) < natsEntryPrefix || natsMsgType(b[23]) != natsWhole {
		return f, nil, fmt.Errorf("comm: nats: bad batch entry")
	}
	n := binary.LittleEndian.Uint64(b[24:])
	if n > uint64(len(b)-natsEntryPrefix) {
		return f, nil, fmt.Errorf("comm: nats: batch entry of %d bytes overruns its batch", n)
	}
	f.Payload = transport.AlignedPayload(int(n))
	copy(f.Payload, b[natsEntryPrefix:])
	size := min(natsEntrySize(int(n)), len(b))
	return f, b[size:], nil
}
