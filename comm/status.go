package comm

import (
	"unsafe"

	"github.com/gorun-dev/gorun/comm/transport"
)

// frameStatus describes the message in f.
func frameStatus(f *transport.Frame) Status {
	st := Status{Source: int(f.Src), Tag: int(f.Tag), Bytes: len(f.Payload), codec: f.Codec}
	if f.Codec == codecMsgpack {
		st.count = msgpackCount(f.Payload)
	}
	return st
}

// Count is the number of elements in the message (MPI_Get_count): of a
// slice or array its length, of a string or []byte its bytes, of a map or
// a struct its entries (msgpack encodes both alike), 0 for nil or when no
// message was received, and 1 for any other value.
func (s Status) Count() int {
	switch s.codec {
	case codecNone, codecNil:
		return 0
	case codecMsgpack:
		return s.count
	case codecBytes, codecString:
		return s.Bytes
	case codecF64s, codecI64s, codecInts, codecU64s:
		return s.Bytes / 8
	case codecF32s, codecI32s, codecU32s:
		return s.Bytes / int(unsafe.Sizeof(int32(0)))
	}
	return 1
}

// msgpackCount is the element count of a msgpack value from its header:
// the length of an array, map, string or binary, 0 for nil, else 1.
func msgpackCount(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	c := b[0]
	be := func(n int) int {
		if len(b) < 1+n {
			return 0
		}
		v := 0
		for _, x := range b[1 : 1+n] {
			v = v<<8 | int(x)
		}
		return v
	}
	switch {
	case c <= 0x7f || c >= 0xe0: // fixint
		return 1
	case c&0xf0 == 0x80 || c&0xf0 == 0x90: // fixmap, fixarray
		return int(c & 0x0f)
	case c&0xe0 == 0xa0: // fixstr
		return int(c & 0x1f)
	}
	switch c {
	case 0xc0: // nil
		return 0
	case 0xc4, 0xd9: // bin8, str8
		return be(1)
	case 0xc5, 0xda, 0xdc, 0xde: // bin16, str16, array16, map16
		return be(2)
	case 0xc6, 0xdb, 0xdd, 0xdf: // bin32, str32, array32, map32
		return be(4)
	}
	return 1
}
