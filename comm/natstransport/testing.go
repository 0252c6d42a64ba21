package natstransport

// SetLimitsForTesting sets the NATS message size (chunk, prefix included)
// and the credit window of transports dialled from now on (0 keeps the
// default), and returns a function restoring the defaults. Tests and
// benchmarks use it to exercise chunking and flow control cheaply; it must
// not run while transports are being dialled.
func SetLimitsForTesting(chunk int, window int64) (restore func()) {
	oldC, oldW := natsChunkMax, natsWindowOverride
	natsChunkMax, natsWindowOverride = chunk, window
	return func() { natsChunkMax, natsWindowOverride = oldC, oldW }
}

// MaxData is the payload a single NATS message of t carries: frames larger
// than this are chunked.
func (t *Transport) MaxData() int { return t.maxData }

// Batches is the number of batch messages t has sent.
func (t *Transport) Batches() int64 { return t.batches.Load() }
