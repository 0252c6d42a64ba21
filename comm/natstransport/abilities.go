package natstransport

import "github.com/gorun-dev/gorun/comm/transport"

var (
	_ transport.CopyingSend  = (*Transport)(nil)
	_ transport.FailedLeaver = (*Transport)(nil)
	_ transport.Counting     = (*Transport)(nil)
)

// SentBytes declares transport.Counting: the payload bytes Send has
// taken for dst so far.
func (t *Transport) SentBytes(dst int) int64 { return t.peers[dst].sent.Load() }

// CopiesOnSend declares transport.CopyingSend: every payload is copied
// into the connection's buffers (or its batch) before Send returns; only a
// send to itself hands the payload over as is, so comm makes a private
// copy for that case.
func (t *Transport) CopiesOnSend() {}
