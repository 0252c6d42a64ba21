package comm

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/vmihailenco/msgpack/v5"
)

// maxMsgpackDepth bounds the nesting of a received msgpack value: the
// decoder recurses once per level, and a payload of nothing but one-element
// arrays would otherwise take the goroutine's stack to its limit (as
// encoding/json's limit of 10000 does for JSON).
const maxMsgpackDepth = 10000

var errMsgpackShort = errors.New("msgpack value truncated")

// unmarshalMsgpack is msgpack.Unmarshal of a received payload, checked
// first by checkMsgpack. Every msgpack decode of received bytes goes
// through it.
func unmarshalMsgpack(payload []byte, ptr any) error {
	if err := checkMsgpack(payload); err != nil {
		return err
	}
	return msgpack.Unmarshal(payload, ptr)
}

// checkMsgpack checks, before anything is allocated for it, that b holds a
// msgpack value whose every announced length fits in the bytes that
// follow it: a string or binary of n bytes needs n bytes, an array of n
// elements n bytes at least, a map of n entries 2n. The decoder allocates
// what a header announces, so a few bytes announcing 2^31 elements would
// take gigabytes; checked, what it allocates is bounded by a small
// multiple of len(b).
func checkMsgpack(b []byte) error {
	// pending[d] is how many values remain at nesting depth d.
	pending := make([]uint64, 1, 8)
	pending[0] = 1
	i := 0
	for len(pending) > 0 {
		top := len(pending) - 1
		if pending[top] == 0 {
			pending = pending[:top]
			continue
		}
		pending[top]--
		if i >= len(b) {
			return errMsgpackShort
		}
		c := b[i]
		i++
		skip, items, err := msgpackHeader(c, b[i:])
		if err != nil {
			return err
		}
		i += msgpackLenBytes(c)
		if skip > uint64(len(b)-i) {
			return fmt.Errorf("msgpack value of %d bytes in %d", skip, len(b)-i)
		}
		i += int(skip)
		if items > 0 {
			if items > uint64(len(b)-i) {
				return fmt.Errorf("msgpack container of %d elements in %d bytes", items, len(b)-i)
			}
			if len(pending) >= maxMsgpackDepth {
				return fmt.Errorf("msgpack value nested deeper than %d", maxMsgpackDepth)
			}
			pending = append(pending, items)
		}
	}
	return nil
}

// msgpackLenBytes is how many bytes after type byte c hold a length.
func msgpackLenBytes(c byte) int {
	switch c {
	case 0xc4, 0xc7, 0xd9: // bin8, ext8, str8
		return 1
	case 0xc5, 0xc8, 0xda, 0xdc, 0xde: // bin16, ext16, str16, array16, map16
		return 2
	case 0xc6, 0xc9, 0xdb, 0xdd, 0xdf: // bin32, ext32, str32, array32, map32
		return 4
	}
	return 0
}

// msgpackHeader reads the value that starts with type byte c (rest follows
// it): the bytes to skip after its length field and the number of values
// it contains.
func msgpackHeader(c byte, rest []byte) (skip, items uint64, err error) {
	lb := msgpackLenBytes(c)
	if lb > len(rest) {
		return 0, 0, errMsgpackShort
	}
	var n uint64
	switch lb {
	case 1:
		n = uint64(rest[0])
	case 2:
		n = uint64(binary.BigEndian.Uint16(rest))
	case 4:
		n = uint64(binary.BigEndian.Uint32(rest))
	}
	switch {
	case c <= 0x7f || c >= 0xe0: // positive and negative fixint
		return 0, 0, nil
	case c <= 0x8f: // fixmap
		return 0, 2 * uint64(c&0x0f), nil
	case c <= 0x9f: // fixarray
		return 0, uint64(c & 0x0f), nil
	case c <= 0xbf: // fixstr
		return uint64(c & 0x1f), 0, nil
	}
	switch c {
	case 0xc0, 0xc2, 0xc3: // nil, false, true
		return 0, 0, nil
	case 0xc4, 0xc5, 0xc6, 0xd9, 0xda, 0xdb: // bin, str
		return n, 0, nil
	case 0xc7, 0xc8, 0xc9: // ext: a type byte and n bytes
		return n + 1, 0, nil
	case 0xca, 0xcb: // float32, float64
		return uint64(4 << (c - 0xca)), 0, nil
	case 0xcc, 0xcd, 0xce, 0xcf: // uint8..uint64
		return uint64(1 << (c - 0xcc)), 0, nil
	case 0xd0, 0xd1, 0xd2, 0xd3: // int8..int64
		return uint64(1 << (c - 0xd0)), 0, nil
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: // fixext 1..16: a type byte and the data
		return 1 + uint64(1<<(c-0xd4)), 0, nil
	case 0xdc, 0xdd: // array16, array32
		return 0, n, nil
	case 0xde, 0xdf: // map16, map32
		return 0, 2 * n, nil
	}
	return 0, 0, fmt.Errorf("bad msgpack type byte %#x", c)
}
