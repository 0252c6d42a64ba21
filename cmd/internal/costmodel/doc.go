// Package costmodel fits the Hockney (alpha-beta) model of a link to
// point-to-point timings and predicts from it the time of the collectives
// package comm runs, algorithm by algorithm.
//
// A link sends m bytes in t(m) = alpha + m/beta: alpha is the latency of
// one message (start-up, a hop through the bus), beta the bandwidth. Fit
// takes ping-pong samples (one-way time per message size), reduces each
// size to the median of its samples, and solves the least-squares problem
// on relative error, so that microsecond and millisecond points weigh
// alike; it reports R² and the largest relative residual, which say how
// well two numbers describe the link.
//
// Predict gives the time of Barrier, Bcast, Allreduce and Alltoall as the
// sum of the steps of comm's algorithm for that call, each step priced on
// the link it crosses: within a host (Net.Intra) or between hosts
// (Net.Inter). Flat algorithms are the dissemination barrier, the binomial
// tree (Bcast, followed by a barrier that certifies the call), recursive
// doubling (small Allreduce) and the ring (Allreduce of 64 KiB and more
// from three ranks: 2(p-1)·alpha + 2(p-1)/p·m/beta), and pairwise
// exchange (Alltoall). Staged algorithms, for a job spread over hosts, add
// a term within the hosts and a term among one leader per host. A step in
// which ranks exchange with several peers at once is priced as one
// latency and the bytes serialised on the busiest rank's link. The model
// ignores contention between steps, copies and reductions in memory, so a
// measured time above the prediction is overhead beyond the network's,
// and a measured time near it is a collective at the network's limit.
package costmodel
