package comm

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
)

// The wire format of numeric slices is fixed on every platform: elements
// little-endian, int and uint as 8 bytes, so hosts of different byte order
// or word size never decode each other's bytes as garbage. wireNative
// reports whether this host's memory already is that format (little-endian,
// 64-bit int): then numeric slices are copied or viewed in place, and
// elsewhere each element is converted by encodePortable and decodePortable.
var wireNative = binary.NativeEndian.Uint16([]byte{1, 0}) == 1 && strconv.IntSize == 64

// encodePortable encodes a numeric slice in the wire format, element by
// element.
func encodePortable[E any](s []E) []byte {
	switch x := any(s).(type) {
	case []byte:
		return clone(x)
	case []float64:
		return putEach(x, 8, func(b []byte, v float64) { binary.LittleEndian.PutUint64(b, math.Float64bits(v)) })
	case []float32:
		return putEach(x, 4, func(b []byte, v float32) { binary.LittleEndian.PutUint32(b, math.Float32bits(v)) })
	case []int64:
		return putEach(x, 8, func(b []byte, v int64) { binary.LittleEndian.PutUint64(b, uint64(v)) })
	case []uint64:
		return putEach(x, 8, func(b []byte, v uint64) { binary.LittleEndian.PutUint64(b, v) })
	case []int:
		return putEach(x, 8, func(b []byte, v int) { binary.LittleEndian.PutUint64(b, uint64(int64(v))) })
	case []uint:
		return putEach(x, 8, func(b []byte, v uint) { binary.LittleEndian.PutUint64(b, uint64(v)) })
	case []int32:
		return putEach(x, 4, func(b []byte, v int32) { binary.LittleEndian.PutUint32(b, uint32(v)) })
	case []uint32:
		return putEach(x, 4, func(b []byte, v uint32) { binary.LittleEndian.PutUint32(b, v) })
	}
	panic(fmt.Sprintf("comm: no wire format for %T", s))
}

func putEach[E any](s []E, size int, put func([]byte, E)) []byte {
	b := make([]byte, size*len(s))
	for i, v := range s {
		put(b[size*i:], v)
	}
	return b
}

// decodePortable decodes a numeric slice from the wire format. An int or
// uint that does not fit this host's word is an error, never truncated.
func decodePortable[E any](b []byte) ([]E, error) {
	var out any
	var err error
	switch any((*E)(nil)).(type) {
	case *byte:
		out = b
	case *float64:
		out, err = getEach(b, 8, func(b []byte) (float64, bool) { return math.Float64frombits(binary.LittleEndian.Uint64(b)), true })
	case *float32:
		out, err = getEach(b, 4, func(b []byte) (float32, bool) { return math.Float32frombits(binary.LittleEndian.Uint32(b)), true })
	case *int64:
		out, err = getEach(b, 8, func(b []byte) (int64, bool) { return int64(binary.LittleEndian.Uint64(b)), true })
	case *uint64:
		out, err = getEach(b, 8, func(b []byte) (uint64, bool) { return binary.LittleEndian.Uint64(b), true })
	case *int:
		out, err = getEach(b, 8, func(b []byte) (int, bool) {
			v := int64(binary.LittleEndian.Uint64(b))
			return int(v), int64(int(v)) == v
		})
	case *uint:
		out, err = getEach(b, 8, func(b []byte) (uint, bool) {
			v := binary.LittleEndian.Uint64(b)
			return uint(v), uint64(uint(v)) == v
		})
	case *int32:
		out, err = getEach(b, 4, func(b []byte) (int32, bool) { return int32(binary.LittleEndian.Uint32(b)), true })
	case *uint32:
		out, err = getEach(b, 4, func(b []byte) (uint32, bool) { return binary.LittleEndian.Uint32(b), true })
	default:
		panic(fmt.Sprintf("comm: no wire format for []%T", *new(E)))
	}
	if err != nil {
		return nil, err
	}
	return out.([]E), nil
}

// wireInt decodes a scalar int (8 bytes on the wire). One that does not
// fit this host's int is an error, never truncated; on a 64-bit host every
// value fits and the check compiles away.
func wireInt(b []byte) (int, error) {
	v := int64(binary.LittleEndian.Uint64(b))
	if int64(int(v)) != v {
		return 0, fmt.Errorf("comm: int %d does not fit this host's %d-bit int", v, strconv.IntSize)
	}
	return int(v), nil
}

func getEach[E any](b []byte, size int, get func([]byte) (E, bool)) ([]E, error) {
	if len(b)%size != 0 {
		return nil, fmt.Errorf("comm: payload of %d bytes is not a whole number of %d-byte elements", len(b), size)
	}
	s := make([]E, len(b)/size)
	for i := range s {
		v, ok := get(b[size*i:])
		if !ok {
			return nil, fmt.Errorf("comm: element %d of a []%T does not fit this host's word", i, v)
		}
		s[i] = v
	}
	return s, nil
}
