// Command vsbaseline runs the lecture's Python baselines and the gorun
// programs side by side, in one run on one machine, and prints one table
// of times, speed-ups, targets and whether each target is met:
//
//	vsbaseline --baselines DIR --data DIR [--bin bin] [--repeats 3] [--dup 1] \
//	    [--only tracts,wordcount,pi,scaling,memory] [--format table|csv]
//
// # Sides
//
// A Python side runs /usr/bin/python3 on a script of the --baselines directory (seed_tracts.py, seed_wordcount.py, seed_pi.py) and takes the
// script's own last "seconds=" line: the compute phase only, interpreter
// start and input loading left out, as the scripts define it. A gorun side
// is the wall time of the whole `gorun -n N --mode M -- bin/PROG ...`
// process: launcher, bus, rank start, loading, compute and writing the
// output to a file. Every side runs --repeats times; the table shows the
// median and the min-max range, and the ratio is taken between medians.
// A missing interpreter, script or Python package, or a failed Python run,
// marks that side "not available" and the run goes on; a failed gorun side
// is reported the same way and makes the exit status 1.
//
// # Workloads and targets
//
//   - tracts: Cook County tracts (COUNTYFP 031) against the Illinois ZIP
//     centroids, k = 3. Python runs the brute force serially and with
//     Pool(2) at --dup (default 1: dup 100 takes about 5 minutes with
//     Pool(2)); its time is linear in dup, so it is also shown scaled to
//     the Go side's dup and labelled EXTRAPOLATED. The Go side runs dup 100
//     (--go-dup) with --method index (target: 1000x Pool(2)) and --method
//     brute (target: 20x Pool(2)).
//   - wordcount: the SOTU corpus, and the same files --wordcount-times
//     times (symbolic links with distinct names in a scratch directory,
//     which both programs count once per name). Targets: 10x the serial
//     Counter, 25x dask.bag.
//   - pi: --pi-samples samples (1e8), seed_pi.py with 10 tasks; target 30x
//     Pool(2).
//   - scaling: the tracts brute force and the larger word count at 1 rank
//     and at --ranks in each mode; target: --ranks ranks 1.8x faster than 1.
//     The 1-rank and --ranks runs alternate (1, N, 1, N, ...), so that a
//     machine whose speed drifts over the minutes of the other workloads
//     does not skew the ratio. Before them, the machine's ceiling: --ranks
//     copies of the serial pi program (--pi-samples) at once against one
//     copy alone, alternating; its ratio, copies x t(alone) / t(at once), is
//     the speed-up that many ideal ranks could reach on this host (on a
//     shared machine it can be well under --ranks), which the scaling ratios
//     cannot exceed.
//   - memory: the tracts program (index method) as 1 and as --memory-ranks
//     goroutine ranks, started directly with GORUN_MODE=goroutines and
//     GORUN_SIZE (what gorun --mode goroutines does), its peak resident set
//     read from wait4's rusage; target: at most 1.3x the 1-rank peak. For
//     contrast, the same ranks as processes under gorun --monitor: each
//     rank's peak (VmHWM as last sampled), the largest and the sum.
//
// # Output
//
// The table has one row per measured side and one per comparison (a gorun
// side compared with two baselines appears twice). Columns, in CSV order:
//
//	workload,side,runs,unit,median,min,max,baseline,ratio,target,met,note
//
// ratio is the baseline's median over this side's median for times (a
// speed-up), this side's over the baseline's for memory. met is yes, no,
// n/a (a side not available) or empty (no target). Notes (extrapolation,
// errors, per-rank memory) follow the text table as a numbered list.
package main
