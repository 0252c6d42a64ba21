// Command pi estimates pi by Monte Carlo on the ranks of a gorun job (or
// alone, as one rank):
//
//	pi [--samples N] [--seed S]
//
// The N samples are split across ranks (kernels/montecarlo.Share: N/size
// each, the remainder one each to the first ranks). Rank r draws its share
// from stream r of seed S (kernels/montecarlo.NewRand), counts the points in
// the quarter circle, and the hits are summed with Allreduce. Rank 0 prints
//
//	pi=3.141592654 abs_err=1.234e-05 samples=100000000 ranks=2 seed=1
//	seconds=0.052 ns_per_sample=0.52
//
// seconds is wall time from a barrier before sampling to the end of the
// Allreduce; ns_per_sample is seconds / samples. The estimate is reproducible
// for a given seed and rank count (a different rank count draws other
// streams). N accepts 100000000, 100_000_000 or 1e8.
package main
