package comm

import (
	"context"
	"fmt"
	"unsafe"

	"github.com/gorun-dev/gorun/comm/transport"
)

// TruncateError reports a message that does not fit the buffer it was
// received into (MPI_ERR_TRUNCATE): it had Count elements, the buffer Len.
// The message is consumed, as in MPI, and the buffer holds its first Len
// elements.
type TruncateError struct {
	Call   string // "RecvInto", "BcastInto(root 0)", ...
	Source int
	Tag    int // -1 for a collective
	Count  int // elements in the message
	Len    int // elements in the buffer
}

func (e *TruncateError) Error() string {
	from := fmt.Sprintf("rank %d", e.Source)
	if e.Tag >= 0 {
		from += fmt.Sprintf(" (tag %d)", e.Tag)
	}
	return fmt.Sprintf("comm: %s: message truncated: %d elements from %s, buffer holds %d",
		e.Call, e.Count, from, e.Len)
}

// RecvInto receives a slice from src (or AnySource) with tag (or AnyTag)
// into buf, the caller's memory, as MPI_Recv does: a message of n <=
// len(buf) elements fills buf[:n] (Status.Count is n) and leaves the rest
// as it was; a longer one fails with a *TruncateError. The message must
// have been sent as a []E. A numeric or byte slice is decoded straight
// into buf, with no slice allocated for it.
func RecvInto[E any](ctx context.Context, c *Comm, src, tag int, buf []E) (Status, error) {
	if src == ProcNull {
		return procNullStatus, nil
	}
	if err := c.checkRank("RecvInto", src, true); err != nil {
		return noStatus, err
	}
	if tag < AnyTag {
		return noStatus, fmt.Errorf("comm: RecvInto: bad tag %d", tag)
	}
	w := getWaiter(transport.KindP2P, c.cid, int32(src), int64(tag))
	w.want = sliceCodec[E]()
	c.mb.post(w)
	f, err := c.mb.wait(ctx, w)
	putWaiter(w)
	if err != nil {
		return recvError(err, &buf)
	}
	if f.Op != 0 {
		c.acknowledge(&f)
	}
	st := frameStatus(&f)
	if _, err := decodeInto(f.Codec, f.Payload, buf); err != nil {
		return st, intoError(err, "RecvInto", int(f.Src), int(f.Tag), len(buf))
	}
	return st, nil
}

// IrecvInto posts a receive of a slice from src (or AnySource) with tag
// (or AnyTag) into buf and returns at once, as MPI_Irecv does; Wait or
// Test (or Waitall and the rest) completes it as RecvInto would, with the
// same truncation error. buf belongs to the request until then: the
// caller must neither read nor change it.
func IrecvInto[E any](c *Comm, src, tag int, buf []E) *Request {
	r := &Request{c: c, ptr: &buf, status: noStatus}
	if !r.check("IrecvInto", src, tag) {
		return r
	}
	r.into = func(f *transport.Frame) error {
		if _, err := decodeInto(f.Codec, f.Payload, buf); err != nil {
			return intoError(err, "IrecvInto", int(f.Src), int(f.Tag), len(buf))
		}
		return nil
	}
	r.post(c.cid, src, tag, sliceCodec[E]())
	return r
}

// sliceCodec is the codec of a []E: raw for the numeric types that travel
// as bytes, msgpack for every other.
func sliceCodec[E any]() uint8 {
	var s []E
	want, _ := recvCodec("", &s)
	return want
}

// truncated is decodeInto's error for a message of count elements.
type truncated struct{ count int }

func (t truncated) Error() string { return fmt.Sprintf("message of %d elements", t.count) }

// intoError names the call, the source and the buffer in an error of
// decodeInto.
func intoError(err error, call string, src, tag, n int) error {
	if t, ok := err.(truncated); ok {
		return &TruncateError{Call: call, Source: src, Tag: tag, Count: t.count, Len: n}
	}
	if tag >= 0 {
		return fmt.Errorf("comm: %s: from rank %d (tag %d): %w", call, src, tag, err)
	}
	return fmt.Errorf("comm: %s: from rank %d: %w", call, src, err)
}

// decodeInto decodes a slice payload into buf and returns its length. A
// raw payload is copied straight into buf; msgpack is decoded into a new
// slice first.
func decodeInto[E any](codec uint8, payload []byte, buf []E) (int, error) {
	if codec == codecNil {
		return 0, nil
	}
	want := sliceCodec[E]()
	if want == codecMsgpack {
		var s []E
		if err := decodeValue(codec, payload, &s); err != nil {
			return 0, err
		}
		if n := copy(buf, s); n < len(s) {
			return n, truncated{len(s)}
		}
		return len(s), nil
	}
	if codec != want {
		return 0, fmt.Errorf("comm: type mismatch: received %s, receiving into %T", codecName(codec), buf)
	}
	if !wireNative {
		s, err := decodePortable[E](payload)
		if err != nil {
			return 0, err
		}
		if n := copy(buf, s); n < len(s) {
			return n, truncated{len(s)}
		}
		return len(s), nil
	}
	size := int(unsafe.Sizeof(*new(E)))
	if len(payload)%size != 0 {
		return 0, fmt.Errorf("comm: payload of %d bytes is not a whole number of %d-byte elements", len(payload), size)
	}
	n := len(payload) / size
	if len(buf) > 0 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&buf[0])), len(buf)*size), payload)
	}
	if n > len(buf) {
		return len(buf), truncated{n}
	}
	return n, nil
}
