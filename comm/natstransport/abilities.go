package natstransport

import "github.com/gorun-dev/gorun/comm/transport"

var (
	_ transport.CopyingSend  = (*Transport)(nil)
	_ transport.FailedLeaver = (*Transport)(nil)
)

// CopiesOnSend declares transport.CopyingSend: every payload is copied
// into the connection's buffers (or its batch) before Send returns; only a
// send to itself hands the payload over as is, so comm makes a private
// copy for that case.
func (t *Transport) CopiesOnSend() {}
