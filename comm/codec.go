package comm

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"unsafe"

	"github.com/gorun-dev/gorun/comm/transport"
	"github.com/vmihailenco/msgpack/v5"
)

// Payload codecs. Numeric slices and scalars travel as raw little-endian
// bytes with no reflection; everything else goes through msgpack.
const (
	codecNone    uint8 = iota // empty payload (acks)
	codecMsgpack              // msgpack of any value
	codecBytes                // []byte
	codecString               // string
	codecF64s                 // []float64
	codecF32s                 // []float32
	codecI64s                 // []int64
	codecI32s                 // []int32
	codecInts                 // []int (as int64)
	codecU64s                 // []uint64
	codecU32s                 // []uint32
	codecF64                  // float64
	codecI64                  // int64
	codecInt                  // int (as int64)
	codecU64                  // uint64
	codecNil                  // a nil slice of a raw type (nil stays nil)
)

var codecNames = [...]string{"none", "msgpack", "[]byte", "string", "[]float64", "[]float32",
	"[]int64", "[]int32", "[]int", "[]uint64", "[]uint32", "float64", "int64", "int", "uint64", "nil"}

func codecName(c uint8) string {
	if int(c) < len(codecNames) {
		return codecNames[c]
	}
	return fmt.Sprintf("codec(%d)", c)
}

// rawCopy returns a copy of s's bytes. Appending to a nil slice allocates
// without zeroing what it then copies over, and keeps E's alignment.
func rawCopy[E any](s []E) []byte {
	if !wireNative {
		return encodePortable(s)
	}
	if len(s) == 0 {
		return []byte{}
	}
	c := append([]E(nil), s...)
	return unsafe.Slice((*byte)(unsafe.Pointer(&c[0])), len(s)*int(unsafe.Sizeof(c[0])))
}

// clone copies b without zeroing the new buffer first.
func clone(b []byte) []byte {
	if len(b) == 0 {
		return []byte{}
	}
	return append([]byte(nil), b...)
}

// rawView returns b as a []E, in place when b is aligned, else as a copy.
// The caller owns b.
func rawView[E any](b []byte) ([]E, error) {
	if !wireNative {
		return decodePortable[E](b)
	}
	size := int(unsafe.Sizeof(*new(E)))
	if len(b)%size != 0 {
		return nil, fmt.Errorf("comm: payload of %d bytes is not a whole number of %d-byte elements", len(b), size)
	}
	n := len(b) / size
	if n == 0 {
		return []E{}, nil
	}
	if uintptr(unsafe.Pointer(&b[0]))%8 != 0 {
		c := transport.AlignedPayload(len(b))
		copy(c, b)
		b = c
	}
	return unsafe.Slice((*E)(unsafe.Pointer(&b[0])), n), nil
}

// view returns s's bytes in place.
func view[E any](s []E) []byte {
	if !wireNative {
		return encodePortable(s)
	}
	if len(s) == 0 {
		return []byte{}
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0])))
}

// encodeView is encodeValue without the copy for byte and numeric slices:
// the payload may alias v, for transports that copy it on Send.
func encodeView(v any) (uint8, []byte, error) {
	switch x := v.(type) {
	case []byte:
		return rawEncoded(codecBytes, x, x)
	case []float64:
		return rawEncoded(codecF64s, x, view(x))
	case []float32:
		return rawEncoded(codecF32s, x, view(x))
	case []int64:
		return rawEncoded(codecI64s, x, view(x))
	case []int32:
		return rawEncoded(codecI32s, x, view(x))
	case []int:
		return rawEncoded(codecInts, x, view(x))
	case []uint64:
		return rawEncoded(codecU64s, x, view(x))
	case []uint32:
		return rawEncoded(codecU32s, x, view(x))
	}
	return encodeValue(v)
}

// encodeValue encodes v into a fresh payload the caller owns.
func encodeValue(v any) (uint8, []byte, error) {
	switch x := v.(type) {
	case []byte:
		return rawEncoded(codecBytes, x, clone(x))
	case string:
		return codecString, []byte(x), nil
	case []float64:
		return rawEncoded(codecF64s, x, rawCopy(x))
	case []float32:
		return rawEncoded(codecF32s, x, rawCopy(x))
	case []int64:
		return rawEncoded(codecI64s, x, rawCopy(x))
	case []int32:
		return rawEncoded(codecI32s, x, rawCopy(x))
	case []int:
		return rawEncoded(codecInts, x, rawCopy(x))
	case []uint64:
		return rawEncoded(codecU64s, x, rawCopy(x))
	case []uint32:
		return rawEncoded(codecU32s, x, rawCopy(x))
	case float64:
		b := make([]byte, 8)
		binary.LittleEndian.PutUint64(b, math.Float64bits(x))
		return codecF64, b, nil
	case int64:
		b := make([]byte, 8)
		binary.LittleEndian.PutUint64(b, uint64(x))
		return codecI64, b, nil
	case int:
		b := make([]byte, 8)
		binary.LittleEndian.PutUint64(b, uint64(x))
		return codecInt, b, nil
	case uint64:
		b := make([]byte, 8)
		binary.LittleEndian.PutUint64(b, x)
		return codecU64, b, nil
	}
	b, err := msgpack.Marshal(v)
	if err != nil {
		return 0, nil, fmt.Errorf("comm: encode %T: %w", v, err)
	}
	return codecMsgpack, b, nil
}

// decodeValue stores the value in payload into *ptr. It takes ownership of
// payload: numeric slices may alias it.
func decodeValue(codec uint8, payload []byte, ptr any) error {
	mismatch := func(want uint8) error {
		if codec == want {
			return nil
		}
		return fmt.Errorf("comm: type mismatch: received %s, receiving into %T", codecName(codec), ptr)
	}
	if codec == codecNil {
		return decodeNil(ptr)
	}
	var err error
	switch p := ptr.(type) {
	case *any:
		return decodeAny(codec, payload, p)
	case *[]byte:
		if err = mismatch(codecBytes); err == nil {
			*p = payload
		}
		return err
	case *string:
		if err = mismatch(codecString); err == nil {
			*p = string(payload)
		}
		return err
	case *[]float64:
		if err = mismatch(codecF64s); err == nil {
			*p, err = rawView[float64](payload)
		}
		return err
	case *[]float32:
		if err = mismatch(codecF32s); err == nil {
			*p, err = rawView[float32](payload)
		}
		return err
	case *[]int64:
		if err = mismatch(codecI64s); err == nil {
			*p, err = rawView[int64](payload)
		}
		return err
	case *[]int32:
		if err = mismatch(codecI32s); err == nil {
			*p, err = rawView[int32](payload)
		}
		return err
	case *[]int:
		if err = mismatch(codecInts); err == nil {
			*p, err = rawView[int](payload)
		}
		return err
	case *[]uint64:
		if err = mismatch(codecU64s); err == nil {
			*p, err = rawView[uint64](payload)
		}
		return err
	case *[]uint32:
		if err = mismatch(codecU32s); err == nil {
			*p, err = rawView[uint32](payload)
		}
		return err
	case *float64:
		if err = scalarMismatch(codec, codecF64, payload, ptr); err == nil {
			*p = math.Float64frombits(binary.LittleEndian.Uint64(payload))
		}
		return err
	case *int64:
		if err = scalarMismatch(codec, codecI64, payload, ptr); err == nil {
			*p = int64(binary.LittleEndian.Uint64(payload))
		}
		return err
	case *int:
		if err = scalarMismatch(codec, codecInt, payload, ptr); err == nil {
			*p, err = wireInt(payload)
		}
		return err
	case *uint64:
		if err = scalarMismatch(codec, codecU64, payload, ptr); err == nil {
			*p = binary.LittleEndian.Uint64(payload)
		}
		return err
	}
	if codec != codecMsgpack {
		return fmt.Errorf("comm: type mismatch: received %s, receiving into %T", codecName(codec), ptr)
	}
	// Replace, not merge: msgpack decodes maps and structs into what is there.
	if rv := reflect.ValueOf(ptr); rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv.Elem().SetZero()
	}
	if err := unmarshalMsgpack(payload, ptr); err != nil {
		return fmt.Errorf("comm: decode into %T: %w", ptr, err)
	}
	return nil
}

func scalarMismatch(codec, want uint8, payload []byte, ptr any) error {
	if codec != want {
		return fmt.Errorf("comm: type mismatch: received %s, receiving into %T", codecName(codec), ptr)
	}
	if len(payload) != 8 {
		return fmt.Errorf("comm: corrupt %s payload of %d bytes", codecName(codec), len(payload))
	}
	return nil
}

// encodeRaw is encodeValue (or, with view, encodeView) for the common raw
// types, given a pointer so that the value is not boxed; ok is false for
// every other type.
func encodeRaw(ptr any, view bool) (codec uint8, payload []byte, ok bool) {
	switch p := ptr.(type) {
	case *float64:
		return codecF64, binary.LittleEndian.AppendUint64(make([]byte, 0, 8), math.Float64bits(*p)), true
	case *int:
		return codecInt, binary.LittleEndian.AppendUint64(make([]byte, 0, 8), uint64(*p)), true
	case *int64:
		return codecI64, binary.LittleEndian.AppendUint64(make([]byte, 0, 8), uint64(*p)), true
	case *uint64:
		return codecU64, binary.LittleEndian.AppendUint64(make([]byte, 0, 8), *p), true
	case *[]byte:
		if *p == nil {
			return codecNil, nil, true
		}
		if view {
			return codecBytes, *p, true
		}
		return codecBytes, clone(*p), true
	case *[]float64:
		return rawOrView(codecF64s, *p, view)
	case *[]int64:
		return rawOrView(codecI64s, *p, view)
	case *[]int:
		return rawOrView(codecInts, *p, view)
	}
	return 0, nil, false
}

func rawOrView[E any](codec uint8, s []E, asView bool) (uint8, []byte, bool) {
	switch {
	case s == nil:
		return codecNil, nil, true
	case asView:
		return codec, view(s), true
	}
	return codec, rawCopy(s), true
}

// decodeAs decodes a payload into a new T. The common raw types are decoded
// without letting the value escape (decodeValue's pointer does, through
// msgpack), which saves an allocation per received scalar or slice.
func decodeAs[T any](codec uint8, payload []byte) (T, error) {
	var v T
	if decodeRaw(codec, payload, &v) {
		return v, nil
	}
	p := new(T)
	err := decodeValue(codec, payload, p)
	return *p, err
}

// decodeRaw is decodeValue for a raw codec that matches ptr exactly; it
// reports false, having stored nothing, for everything else.
func decodeRaw(codec uint8, payload []byte, ptr any) bool {
	var err error
	if codec == codecNil {
		return decodeNil(ptr) == nil
	}
	switch p := ptr.(type) {
	case *float64:
		if codec != codecF64 || len(payload) != 8 {
			return false
		}
		*p = math.Float64frombits(binary.LittleEndian.Uint64(payload))
	case *int:
		if codec != codecInt || len(payload) != 8 {
			return false
		}
		v, err := wireInt(payload)
		if err != nil {
			return false // decodeValue reports it
		}
		*p = v
	case *int64:
		if codec != codecI64 || len(payload) != 8 {
			return false
		}
		*p = int64(binary.LittleEndian.Uint64(payload))
	case *uint64:
		if codec != codecU64 || len(payload) != 8 {
			return false
		}
		*p = binary.LittleEndian.Uint64(payload)
	case *[]byte:
		if codec != codecBytes {
			return false
		}
		*p = payload
	case *[]float64:
		if codec != codecF64s {
			return false
		}
		*p, err = rawView[float64](payload)
	case *[]int64:
		if codec != codecI64s {
			return false
		}
		*p, err = rawView[int64](payload)
	case *[]int:
		if codec != codecInts {
			return false
		}
		*p, err = rawView[int](payload)
	default:
		return false
	}
	return err == nil
}
