package comm

import (
	"encoding/binary"
	"fmt"
)

// The wire format of the NATS transport. Every NATS message on a rank's
// inbox starts with a fixed prefix of natsPrefix bytes:
//
//	[0:23)  Frame header (PutHeader); control messages carry only Src
//	[23]    message type (natsWhole, natsFirst, ...)
//	[24:32) little-endian uint64 argument (total size, granted credit)
//
// and data messages continue with payload bytes. The prefix is a multiple
// of 8 so that a payload starting after it in a fresh NATS buffer is 8-byte
// aligned and numeric slices can be viewed in place.
const natsPrefix = 32

type natsMsgType uint8

const (
	natsWhole   natsMsgType = 1 // a complete frame
	natsFirst   natsMsgType = 2 // first chunk of a large frame; arg = total payload size
	natsMore    natsMsgType = 3 // next chunk of the frame being reassembled
	natsCredit  natsMsgType = 4 // the receiver consumed arg bytes: the sender may send more
	natsBye     natsMsgType = 5 // the sender left cleanly; it sends nothing after this
	natsAbandon natsMsgType = 6 // the sender gave up on its partly sent frame
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
	}
	return fmt.Sprintf("type(%d)", uint8(k))
}

// putNATSPrefix writes the prefix of one NATS message into b.
func putNATSPrefix(b []byte, f *Frame, typ natsMsgType, arg uint64) {
	f.PutHeader(b)
	b[23] = byte(typ)
	binary.LittleEndian.PutUint64(b[24:], arg)
}

// controlMsg builds a control message (no payload) from rank src.
func controlMsg(src int, typ natsMsgType, arg uint64) []byte {
	b := make([]byte, natsPrefix)
	putNATSPrefix(b, &Frame{Kind: KindP2P, Src: int32(src)}, typ, arg)
	return b
}

// parseNATSPrefix reads the type, source and argument of a NATS message.
func parseNATSPrefix(b []byte) (typ natsMsgType, src int, arg uint64, err error) {
	if len(b) < natsPrefix {
		return 0, 0, 0, fmt.Errorf("comm: nats: short message of %d bytes", len(b))
	}
	typ = natsMsgType(b[23])
	src = int(int32(binary.LittleEndian.Uint32(b[3:])))
	arg = binary.LittleEndian.Uint64(b[24:])
	return typ, src, arg, nil
}
