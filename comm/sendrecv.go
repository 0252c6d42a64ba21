package comm

import (
	"context"
	"fmt"
	"reflect"
)

// ProcNull is a rank that sends and receives nothing, as MPI_PROC_NULL: a
// send to it returns at once, and a receive or probe from it returns at
// once with Source ProcNull, Tag AnyTag and no bytes, leaving the value
// untouched. It lets the edges of a non-periodic halo exchange use the same
// calls as the interior.
const ProcNull = -2

// procNullStatus is the Status of a receive from ProcNull.
var procNullStatus = Status{Source: ProcNull, Tag: AnyTag}

// Sendrecv sends v to dst with sendTag and receives a message from src
// (or AnySource) with recvTag into ptr, as one call: the receive is posted
// before the send, so ranks that all call Sendrecv (a ring shift, a halo
// exchange) never deadlock whatever the order. Either rank may be
// ProcNull.
func (c *Comm) Sendrecv(ctx context.Context, dst, sendTag int, v any, src, recvTag int, ptr any) (Status, error) {
	req := c.Irecv(src, recvTag, ptr)
	if req.done && req.err != nil {
		return req.status, req.err
	}
	if err := c.Send(ctx, dst, sendTag, v); err != nil {
		req.Cancel()
		return noStatus, fmt.Errorf("comm: Sendrecv: %w", err)
	}
	return req.Wait(ctx)
}

// SendrecvReplace sends the value *ptr to dst with sendTag and replaces it
// with the message received from src with recvTag (MPI_Sendrecv_replace).
// The message must have *ptr's type.
func (c *Comm) SendrecvReplace(ctx context.Context, dst, sendTag, src, recvTag int, ptr any) (Status, error) {
	rv := reflect.ValueOf(ptr)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return noStatus, fmt.Errorf("comm: SendrecvReplace: %T is not a non-nil pointer (pass &v)", ptr)
	}
	// Send encodes a copy (or the transport copies before it returns), so
	// the receive may then overwrite *ptr.
	if err := c.Send(ctx, dst, sendTag, rv.Elem().Interface()); err != nil {
		return noStatus, fmt.Errorf("comm: SendrecvReplace: %w", err)
	}
	return c.Recv(ctx, src, recvTag, ptr)
}
