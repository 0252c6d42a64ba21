// Command demo is gorun's main job, run by `make demo`: it runs the tracts
// workload on the bundled Cook County data (k-th nearest ZIP centroid,
// duplicated 100 times as the lecture did) and word count on the bundled
// speeches, each under gorun in process mode and in goroutine mode, checks
// every answer against its reference, and prints the time, memory and bus
// traffic of the two modes side by side.
//
//	demo [--bin DIR] [--data DIR] [-n N]
//
// It reads the per-rank figures from `gorun --monitor` (exact peak RSS and
// CPU from each rank's rusage). It exits 1 if any answer is wrong.
package main
