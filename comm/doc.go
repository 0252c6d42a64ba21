// Package comm is an MPI-style communicator for SPMD programs: one program,
// Size ranks, point-to-point messages and collectives, over two transports
// that the program cannot tell apart: goroutines in one process (shared
// memory) and processes on a NATS bus (message passing).
//
// # Worlds
//
// Main is the whole main of a program: under `gorun -n N` (processes) each
// process is one rank on the job's bus; under `gorun --mode goroutines`, or
// run alone, the process holds a world of GORUN_SIZE goroutine ranks
// (default 1, the serial run). Run starts a goroutine world explicitly, for
// tests, examples and libraries. Ranks are numbered 0..Size-1.
//
// Under `gorun --mode hybrid` each process holds its host's ranks as
// goroutines (JoinHybrid): frames between them go through memory, frames
// to other processes' ranks over the bus. Rank and Size are the world's;
// Place says where a rank runs. Collectives over a world that spans
// processes move messages; Shared and LoadOnce keep one value per process
// (SharesValues), which is where hybrid saves memory over processes.
//
// Goroutine ranks share one process, and with it what Go shares between
// goroutines: package-level variables are one copy for every rank (a
// global counter that each rank increments counts for all of them, and
// races), and os.Exit or log.Fatal in one rank ends every rank at once.
// Keep per-rank state in fn's locals or in values keyed by c.Rank(). The
// process's stdout is one stream too: gorun tags each line with its rank
// in process mode, where each rank has its own pipe, but cannot tell which
// goroutine rank wrote a fmt.Print line; write through c.Stdout() and
// c.Stderr(), which tag and keep lines whole in a goroutine world, so
// output reads the same in both modes.
//
// # Point-to-point
//
// Send, Recv, Isend, Irecv, Probe and Iprobe match messages by source and
// tag, with AnySource and AnyTag as wildcards. Messages from one source with
// one tag are never overtaken; AnySource takes messages in arrival order, so
// no sender is starved. Send returns once the message is handed to the
// transport (it never waits for the matching Recv); the receiving side
// queues unexpected messages without bound, so no message is ever dropped.
// Values are copied: a rank owns what it received and may reuse what it
// sent at once. Numeric slices and strings travel as raw little-endian
// bytes without reflection; other values go through msgpack (complex
// numbers included, as an extension type).
//
// A value arrives as it was sent, at every world size: a nil slice, map or
// pointer as nil and an empty one as empty, for every element type (as
// mpi4py's pickling keeps None and []). Recv takes a pointer to the type
// that was sent, or *any, which receives any message as the value sent.
// A Recv into another type, or into a non-pointer, fails without consuming
// the message. A receive that got no message reports Source AnySource and
// Tag AnyTag; a cancelled one reports Cancelled and ErrCancelled.
//
// Isend copies its value and returns a Request. Over a bus, a message of
// 64 KiB or more is handed to the bus by a goroutine of the transport, so
// that the rank computes while it travels, however far it exceeds the
// credit window; a later Send, Isend or Ssend to the same rank waits
// behind it, and Close waits for it. IrecvInto posts a receive into the
// caller's slice, as RecvInto fills it.
//
// Sendrecv posts its receive before its send, so a ring shift or halo
// exchange where every rank calls it never deadlocks; ProcNull as a rank
// makes a send or receive a no-op, so the edges run the interior's code.
// Waitall, Waitany, Waitsome and the Test forms complete slices of
// requests, where nil is an inactive request, as in MPI.
// Ssend completes only once a receive has matched its message; Mprobe
// takes a message out of matching so that only its Message.Recv receives
// it, which makes probe-then-receive safe from several goroutines.
//
// # Collectives
//
// Barrier, Bcast, Scatter(v), Gather(v), Allgather(v), Reduce, Allreduce,
// Alltoall(v), Scan, Exscan and ReduceScatter are generic functions that
// every rank must call in the same order. The algorithm is chosen by size,
// as Open MPI's tuned defaults do: dissemination barrier, binomial trees
// for Bcast and Reduce, recursive doubling for small Allreduce and a ring
// for large numeric ones, pairwise exchange for Alltoall. In a goroutine
// world a large numeric Allreduce moves no messages: it is reduced in
// place over the ranks' own memory between two barriers. Every world size
// works, powers of two or not. Every frame
// carries the call's identity (sequence number, operation, root, reduction
// op), no rank returns from a call before every rank's identity has
// reached it through checked frames, and a rank stalled on a peer probes
// it, so ranks that call different collectives (or one with other roots,
// ops or element counts) all get a *MismatchError naming both calls:
// never a result on some ranks, never a hang.
//
// Each collective has a non-blocking form (Ibarrier, Ibcast, Ireduce,
// Iallreduce, Iscan, Iexscan, IreduceScatter, Igather(v), Iscatter(v),
// Iallgather(v), Ialltoall(v)) that returns a *Request at once and
// progresses on a goroutine of its own while the rank computes; its result
// lands in a pointer the caller passes, valid once the request completes.
// As in MPI-3, every rank starts them in the same order, several may be
// outstanding and complete in any order, and they never match the traffic
// of blocking collectives or point-to-point. Ranks that start different
// ones at the same position, or a blocking collective where others start
// a non-blocking one (Barrier against Ibarrier), all get a *MismatchError
// naming both. Each takes a place in the communicator's sequence of
// collective calls, as a blocking one does. Across nodes they run in
// stages as the blocking ones do once the communicator's node map is known
// (SetTopology, GORUN_NODE_MAP, placement learnt at start-up or by a first
// blocking collective); until then they run flat. The choice is the same on
// every rank.
//
// MessagesOnly (for Run and NewWorld), or GORUN_MESSAGES_ONLY=1 for Main,
// turns the shared-memory collectives of a goroutine world off: every
// collective then moves messages through the goroutine transport with the
// algorithms of a process world, so message passing and shared memory can
// be measured against each other on the same program
// (bin/commbench --messages-only).
//
// Across hosts. When a communicator spans more than one node (a multi-host
// job: GORUN_NODE) and some node holds more than one of its ranks, Bcast,
// Reduce, Allreduce, Gather(v), Allgather(v), Barrier and Alltoall(v) run
// in stages, as Open MPI's han does: within each node to a leader (its
// lowest rank), among the leaders, back within each node. A route between
// hosts then carries one message per host and step. The first such call
// runs one Allgather to learn every rank's node. Reductions fold in rank
// order within a node and in node order among leaders, so an op that does
// not commute still gets op(v0, ..., vn-1) when every node's ranks are
// consecutive; otherwise it gathers the values and folds them in rank
// order. SetTopology (or GORUN_COLLECTIVES=flat) keeps the flat
// algorithms; SetTopology's node map (or GORUN_NODE_MAP, e.g. "3" or
// "0,0,1,1,2,2") places ranks on nodes by hand, so one machine runs the
// staged algorithms for tests and comparisons. Communicators split from
// one inherit its node map.
//
// Map is a dynamic task farm (Pool.map with a chunk size) beside static
// Scatterv; Shared gives the goroutine ranks of one process one read-only
// copy of a value. Two helpers hold patterns SPMD programs repeat:
// LoadOnce reads an input on one rank and shares it (goroutines) or
// broadcasts it (processes); AgreeError makes every rank learn the first
// rank's error, so all stop together with the same message.
//
// # Communicators
//
// Split partitions a communicator's ranks by color into new ones (the rows
// and columns of a process grid), Dup copies one for a library's private
// traffic, and Self is a rank alone. Each has its own id, carried by every
// frame, so its point-to-point messages and collectives never match those
// of another; ranks are numbered within it. Sub-communicators use message
// passing for every collective (the goroutine world's shared windows are
// the world's).
//
// NewCart arranges a communicator's ranks as a grid (DimsCreate picks a
// balanced one); Shift gives the neighbours for a Sendrecv along a
// dimension, ProcNull past a non-periodic edge.
//
// # Concurrency
//
// Point-to-point calls are safe from several goroutines of one rank.
// Collectives on one Comm must not run concurrently with each other (the
// calls that start non-blocking ones included; their operations then
// overlap). A Request belongs to one goroutine.
//
// # Failure
//
// Every call that blocks takes a ctx and returns ctx's error when it ends
// (a cancelled receive consumes nothing). When a peer dies or the job is
// aborted, every blocked and later call returns an error wrapping
// ErrAborted (a *RankFailedError when one rank is to blame) within about a
// second; in a goroutine world the first rank to fail aborts the others.
// A rank that fails because a peer did (its error wraps ErrAborted) tells
// Main to exit ExitAborted, which gorun never blames while the rank that
// failed first can be named. Abort fails this rank's calls only; AbortJob
// ends the whole job with an exit status, as MPI_Abort does.
//
// # Transports
//
// A transport.Transport (package comm/transport) only moves frames
// between ranks and reports peers that close or fail; matching and
// collectives live above it. Optional abilities are small interfaces a
// transport declares (transport.SharedMemory, DirectDelivery, CopyingSend,
// FailedLeaver), and Comm asks for them when it is made. The goroutine
// transport (NewWorld) hands a frame to the receiver's mailbox directly
// and shares memory; package comm/natstransport gives each rank one inbox
// subscription on a NATS bus (order per sender), chunks messages larger
// than the server's max payload, and bounds data in flight per
// destination with credits. A hybrid world's rank routes each frame to
// one of the two by where its destination lives, and declares the
// shared-memory abilities only when its process holds the whole world.
// NewComm joins any other transport.
package comm
