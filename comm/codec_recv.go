package comm

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
)

// rawEncoded is the encoding of a raw slice s whose bytes are b: a nil
// slice travels as codecNil, so that it arrives as nil, as a nil slice of
// any other type does through msgpack, and as it does at one rank.
func rawEncoded[E any](codec uint8, s []E, b []byte) (uint8, []byte, error) {
	if s == nil {
		return codecNil, nil, nil
	}
	return codec, b, nil
}

// decodeNil stores the zero value (nil for slices, maps, pointers and
// interfaces) in *ptr.
func decodeNil(ptr any) error {
	rv := reflect.ValueOf(ptr)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("comm: receiving into %T, not a pointer", ptr)
	}
	switch rv.Elem().Kind() {
	case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface:
		rv.Elem().SetZero()
		return nil
	}
	return fmt.Errorf("comm: type mismatch: received a nil slice, receiving into %T", ptr)
}

// decodeAny stores a message of any codec in *p as the value that was
// sent: an int as int, a []float64 as []float64, msgpack as msgpack
// decodes into an interface.
func decodeAny(codec uint8, payload []byte, p *any) error {
	var err error
	switch codec {
	case codecMsgpack:
		var v any
		if err = unmarshalMsgpack(payload, &v); err != nil {
			return fmt.Errorf("comm: decode into *interface {}: %w", err)
		}
		*p = v
		return nil
	case codecBytes:
		*p = payload
	case codecString:
		*p = string(payload)
	case codecF64s:
		*p, err = rawView[float64](payload)
	case codecF32s:
		*p, err = rawView[float32](payload)
	case codecI64s:
		*p, err = rawView[int64](payload)
	case codecI32s:
		*p, err = rawView[int32](payload)
	case codecInts:
		*p, err = rawView[int](payload)
	case codecU64s:
		*p, err = rawView[uint64](payload)
	case codecU32s:
		*p, err = rawView[uint32](payload)
	case codecF64, codecI64, codecInt, codecU64:
		if len(payload) != 8 {
			return fmt.Errorf("comm: corrupt %s payload of %d bytes", codecName(codec), len(payload))
		}
		x := binary.LittleEndian.Uint64(payload)
		switch codec {
		case codecF64:
			*p = math.Float64frombits(x)
		case codecI64:
			*p = int64(x)
		case codecInt:
			*p = int(x)
		default:
			*p = x
		}
	case codecNone, codecNil:
		*p = nil
	default:
		return fmt.Errorf("comm: received unknown %s, receiving into *interface {}", codecName(codec))
	}
	return err
}

// recvCodec is the codec a receive into ptr accepts (codecAny: every
// one), or an error when ptr cannot be received into at all. The receive
// is then never posted, so no message is consumed by it.
func recvCodec(what string, ptr any) (uint8, error) {
	switch ptr.(type) {
	case nil, *any:
		return codecAny, nil
	case *[]byte:
		return codecBytes, nil
	case *string:
		return codecString, nil
	case *[]float64:
		return codecF64s, nil
	case *[]float32:
		return codecF32s, nil
	case *[]int64:
		return codecI64s, nil
	case *[]int32:
		return codecI32s, nil
	case *[]int:
		return codecInts, nil
	case *[]uint64:
		return codecU64s, nil
	case *[]uint32:
		return codecU32s, nil
	case *float64:
		return codecF64, nil
	case *int64:
		return codecI64, nil
	case *int:
		return codecInt, nil
	case *uint64:
		return codecU64, nil
	}
	if rv := reflect.ValueOf(ptr); rv.Kind() != reflect.Pointer || rv.IsNil() {
		return 0, fmt.Errorf("comm: %s: receiving into %T needs a non-nil pointer (pass &v); no message was consumed", what, ptr)
	}
	return codecMsgpack, nil
}

// codecAny is what a receive that accepts every codec wants (codecNone is
// never wanted: it marks the payload-less frames of collectives).
const codecAny = codecNone

// fits reports whether a frame of codec may complete a receive that wants
// want: a nil slice fits any slice and any msgpack value.
func fits(want, codec uint8) bool {
	if want == codecAny || want == codec {
		return true
	}
	if codec == codecNil {
		return want == codecMsgpack || want == codecBytes || want >= codecF64s && want <= codecU32s
	}
	return false
}

// wrongType completes a receive whose message does not fit it: the message
// stays queued, and the receive fails with this error, which names what
// was sent (Recv adds what it was receiving into).
type wrongType struct {
	codec uint8
	src   int32
	tag   int64
	bytes int
}

func (e *wrongType) Error() string {
	return fmt.Sprintf("comm: type mismatch: received %s from rank %d (tag %d)", codecName(e.codec), e.src, e.tag)
}

// recvError finishes the error of a receive into ptr, naming the target
// type of a type mismatch; st then describes the message left queued.
func recvError(err error, ptr any) (Status, error) {
	if wt, ok := err.(*wrongType); ok {
		return Status{Source: int(wt.src), Tag: int(wt.tag), Bytes: wt.bytes},
			fmt.Errorf("comm: type mismatch: received %s from rank %d (tag %d), receiving into %T; the message was not consumed",
				codecName(wt.codec), wt.src, wt.tag, ptr)
	}
	return Status{Source: AnySource, Tag: AnyTag}, err
}
