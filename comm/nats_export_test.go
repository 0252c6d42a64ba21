package comm

// Hooks for the external tests of the NATS transport.

// JoinNATSFromEnv is joinNATSFromEnv.
var JoinNATSFromEnv = joinNATSFromEnv

// SetNATSLimits sets the NATS message size (chunk) and the credit window
// of transports made from now on (0 keeps the default), and returns a
// function restoring the defaults.
func SetNATSLimits(chunk int, window int64) (restore func()) {
	oldC, oldW := natsChunkMax, natsWindowOverride
	natsChunkMax, natsWindowOverride = chunk, window
	return func() { natsChunkMax, natsWindowOverride = oldC, oldW }
}

// NATSMaxData is the payload a single NATS message of c's transport
// carries: frames larger than this are chunked.
func NATSMaxData(c *Comm) int { return c.t.(*natsTransport).maxData }

// NATSBatches is the number of batch messages c's transport has sent.
func NATSBatches(c *Comm) int64 { return c.t.(*natsTransport).batches.Load() }
