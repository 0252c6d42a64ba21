package transport

import (
	"encoding/binary"
	"fmt"
	"unsafe"
)

// Kind separates the matching spaces of frames. Within a kind, Frame.Op
// says what the frame is part of; the values are the sender's business.
type Kind uint8

const (
	KindP2P  Kind = 1 // user point-to-point: matched by (communicator, source, tag)
	KindColl Kind = 2 // collective traffic: matched by (communicator, source, sequence)
)

// Frame is one message between two ranks: a fixed header and an opaque
// payload. Transports carry frames; they never look inside the payload.
type Frame struct {
	Kind    Kind
	Codec   uint8  // how Payload is encoded (see codec.go)
	Op      uint8  // what within Kind: the collective call (Coll), or a synchronous send (P2P)
	Src     int32  // sending rank
	Comm    uint32 // communicator id
	Tag     int64  // user tag (P2P) or collective sequence number (Coll)
	Arg     int32  // collective argument (the root), for mismatch detection
	Payload []byte
}

// HeaderSize is the encoded size of a frame header.
const HeaderSize = 1 + 1 + 1 + 4 + 4 + 8 + 4

// PutHeader writes f's header into b, which must hold HeaderSize bytes.
func (f *Frame) PutHeader(b []byte) {
	_ = b[HeaderSize-1]
	b[0] = byte(f.Kind)
	b[1] = f.Codec
	b[2] = f.Op
	binary.LittleEndian.PutUint32(b[3:], uint32(f.Src))
	binary.LittleEndian.PutUint32(b[7:], f.Comm)
	binary.LittleEndian.PutUint64(b[11:], uint64(f.Tag))
	binary.LittleEndian.PutUint32(b[19:], uint32(f.Arg))
}

// ParseHeader reads a header written by PutHeader into f.
func (f *Frame) ParseHeader(b []byte) error {
	if len(b) < HeaderSize {
		return fmt.Errorf("transport: short frame header: %d bytes", len(b))
	}
	f.Kind = Kind(b[0])
	f.Codec = b[1]
	f.Op = b[2]
	f.Src = int32(binary.LittleEndian.Uint32(b[3:]))
	f.Comm = binary.LittleEndian.Uint32(b[7:])
	f.Tag = int64(binary.LittleEndian.Uint64(b[11:]))
	f.Arg = int32(binary.LittleEndian.Uint32(b[19:]))
	if f.Kind != KindP2P && f.Kind != KindColl {
		return fmt.Errorf("transport: bad frame kind %d", f.Kind)
	}
	return nil
}

// AlignedPayload returns a zeroed n-byte slice whose start is 8-byte
// aligned. A transport that allocates the payloads it delivers uses it, so
// the receiver can view numeric slices in place instead of copying them.
func AlignedPayload(n int) []byte {
	if n == 0 {
		return []byte{}
	}
	words := make([]uint64, (n+7)/8)
	return unsafe.Slice((*byte)(unsafe.Pointer(&words[0])), n)
}
