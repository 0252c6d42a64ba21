// Package transport is the layer under package comm: a Transport only
// moves Frames between the ranks of one world and reports peers that
// close or fail; matching, tags, ordering queues and collectives live in
// comm above it (as net/rpc's ClientCodec sits under its Client).
//
// A Frame is a fixed header (PutHeader, ParseHeader: little-endian,
// HeaderSize bytes) and an opaque payload. Frames from one sender to one
// receiver arrive in order; a transport never looks inside a payload.
//
// Optional abilities (DirectDelivery, CopyingSend, SharedMemory,
// FailedLeaver) are small interfaces a transport implements to declare
// them; comm asks for each once, when it makes a Comm over the transport.
//
// The errors a transport reports (ErrAborted, ErrClosed,
// *RankFailedError) are the ones comm's callers see; comm re-exports them.
//
// Two transports exist: the goroutine transport inside package comm
// (comm.NewWorld) and comm/natstransport over a NATS bus.
package transport
