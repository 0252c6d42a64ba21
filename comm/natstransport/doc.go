// Package natstransport carries the frames of one rank over a NATS bus: a
// transport.Transport with one connection per rank and exactly one inbox
// subscription (jobenv.SubjectInboxAll), so every frame from one sender,
// data and control, travels one ordered path. Frames travel on subjects
// named by their sender (jobenv.SubjectFrame), which the bus's per-rank
// permissions let only that sender publish to; a message whose prefix
// names another sender than its subject fails the world.
//
// Frames larger than the server's max payload are chunked and reassembled
// per source; credit-based flow control bounds the bytes and messages in
// flight per destination, so the server never cuts a rank off as a slow
// consumer; small frames that find the window full are batched. Messages
// between two ranks are numbered, so a message the bus lost or reordered
// fails the receiver with an error naming the sender, the receiver and
// the missing number instead of a wrong match or a hang. Any error
// the bus reports, a lost connection or the launcher's abort notice
// (jobenv.SubjectAbort) fails the world loudly through
// Handler.PeerFailed; a peer's goodbye reaches Handler.PeerClosed. The
// wire format is in wire.go.
//
// Programs do not use this package directly: comm.Main and comm.JoinNATS
// dial it from the job's environment; comm/natsworld holds a whole world
// in one process for benchmarks and tests.
package natstransport
