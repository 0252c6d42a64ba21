package comm

// The NATS transport copies every payload into the connection's buffers
// (or its batch) before Send returns; only a send to itself hands the
// payload over as is, so Comm makes a private copy for that case.
func (t *natsTransport) copiesOnSend() {}
