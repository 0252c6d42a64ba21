// Command commbench measures the cost of message passing, OSU-style, on the
// ranks of one world, so goroutine ranks, process ranks and raw NATS can be
// compared row by row:
//
//	commbench [--mode goroutines|nats|processes] [-n N] [--ops LIST]
//	          [--sizes LIST] [--time D | --iters N] [--format table|csv]
//	          [--messages-only] [--topology auto|flat|both] [--fit FILE]
//
// Modes:
//   - goroutines (default): an N-rank goroutine world in this process
//     (comm.Run, -n, default 2); with --messages-only every collective
//     moves messages instead of working in shared memory
//     (comm.MessagesOnly), and rows say mode goroutines-messages, so the
//     two compare on the same algorithms;
//   - nats: N ranks as N NATS connections of this process to an embedded
//     server (the transport of a gorun job without the process boundary);
//   - processes: this process is one rank of a gorun job (comm.Main), e.g.
//     gorun -n 2 --no-tag bin/commbench --mode processes; under gorun
//     --mode hybrid the rows say mode hybrid.
//
// Operations (--ops, default all), each at every size of --sizes (default
// 1,4,8,16,64,256,1K,4K,16K,64K,256K,1M,4M bytes):
//   - latency: ping-pong between ranks 0 and 1 ([]byte messages); usec is
//     the one-way time, round trip / 2;
//   - bandwidth: rank 0 sends a window of --window messages to rank 1
//     (capped at 16 MiB in flight), which acknowledges the window with one
//     empty message (osu_bw); usec is the time per message;
//   - bcast: comm.Bcast of a []byte from rank 0;
//   - allreduce: comm.AllreduceInto(Sum) of a []float64 of bytes/8 elements
//     into a buffer allocated once (as osu_allreduce)
//     (sizes below 8 are skipped);
//   - alltoall: comm.Alltoall of one []byte of `bytes` per rank pair;
//   - barrier: comm.Barrier (bytes 0, once);
//   - underload (by name only, from 3 ranks): small messages on a route
//     that also carries bulk data. Rank 0 ping-pongs `bytes` with the
//     last rank, first alone (rows latency-idle, 200 pings), then while it
//     sends one frame of --bulk bytes (default 64M) to the rank before the
//     last (on the same host when ranks fill hosts in blocks); rows
//     latency-bulk give the median one-way time of the pings sent until
//     that frame arrived, and a row bulk the time that frame took.
//
// Collectives across hosts run in stages (comm.TopologyAuto); --topology
// flat measures the flat algorithms instead, and --topology both measures
// each collective point twice in one run, flat then staged, with rows of
// mode MODE-flat and MODE-staged, for a ratio under the same load. On one
// machine GORUN_NODE_MAP (e.g. "3") places the ranks on pretend nodes.
//
// When the job spans hosts (comm.Place), latency and bandwidth run twice
// per size: rank 0 with the next rank on its host (mode MODE-intra, when
// its host has one) and with the first rank on another host (MODE-inter).
//
// For collectives usec is the time per call. MBps is bytes/usec (10^6
// bytes per second), 0 for barrier.
//
// With --raw (the default) the same run also measures raw nats.go over two
// connections to an embedded server in this process (in processes mode:
// the job's own bus, gorun's server, with the sending connection in rank
// 0's process and the echoing one in rank 1's, as comm's traffic goes), the
// ceiling for the NATS transport: rows with mode
// nats-raw, op latency (pub/sub ping-pong), reqreply (request/reply, round
// trip / 2) and bandwidth (a window of publishes, one ack). Each raw row
// is measured right after the comm row of the same op and size, while the
// other ranks wait, so the pair shares the machine's load of the moment.
//
// Timing: every point first calibrates (a batch of 1 iteration, growing
// until it lasts a useful fraction of --time; this is also the warm-up),
// then times --repeats batches of the same size and reports the median.
// Each batch starts after a Barrier and its time is the slowest rank's
// (Allreduce Max), so every rank takes the same decisions. --iters fixes the
// batch size instead, after --warmup iterations.
//
// Cost model: --fit FILE fits the Hockney model t(m) = alpha + m/beta to
// the latency rows and to the bandwidth rows of each mode (package
// costmodel: medians per size, least squares on relative error), prices
// every collective row with comm's algorithm for it on the model link of
// its mode (MODE-intra or MODE within a host, MODE-inter between hosts:
// the latency fit's alpha, the lower of the two fits' beta), writes all
// of it as JSON to FILE and prints the links and each collective's
// measured/model ratio on stderr.
// gorun-plot --commbench FILE draws the collectives against the model.
//
// Output: --format table (aligned columns) or csv with the header
// op,mode,ranks,bytes,usec,MBps. Only rank 0 prints. Bad flags exit 2.
package main
