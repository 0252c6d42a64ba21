// Command scaling measures what parallelism buys and what it costs: it runs
// gorun programs at 1, 2, 4, ... ranks, in process mode (ranks are
// processes that pass messages over the NATS bus) and goroutine mode (ranks
// are goroutines sharing one address space), Repeat times each, and writes
// a CSV of every run, a CSV of medians and derived figures, and one figure
// per workload and scaling as PNG and SVG (gonum.org/v1/plot).
//
//	scaling --out docs/plots --repeat 3 --max-ranks 8 --strong-factor 2 \
//	    --workload 'tracts=bin/tracts --tracts T.geojson --points P.csv --method brute --dup {n} --out {tmp}/t.csv' \
//	    --workload 'wordcount=bin/wordcount --out {tmp}/wc.tsv {rep*300:testdata/text}'
//
// # Strong and weak scaling
//
// Arguments may hold templates. {n} is the problem-size factor: in strong
// runs it is fixed at --strong-factor whatever the ranks; in weak runs it
// equals the rank count, so every rank keeps the same share of work.
// {n*K} is K times the factor; an argument that is exactly {rep:ARG} is ARG
// repeated factor times ({rep*K:ARG}: K times that), for programs that take
// a list of inputs; {tmp} is a scratch directory removed at the end, for
// output files. A weak sweep needs at least one size template.
//
// # How a run is measured
//
// Each run is `gorun -n N --mode M --oversubscribe --quiet --monitor F --
// PROGRAM ARGS`, timed from start to exit by this program (launcher start,
// bus start, process starts, input loading: what a user waits for). Runs
// go round by round (every point once, then again), so a busy spell of a
// shared machine spreads over all points instead of spoiling one; an
// untimed warm-up run per workload fills the page cache first.
//
//   - cpu_s: user+system time of gorun and every rank (wait4's rusage of
//     gorun includes its reaped ranks), so the embedded NATS server's work
//     counts against message passing.
//   - peak_rss_bytes: the sum over rank processes of the kernel's peak
//     resident set (VmHWM) as gorun --monitor last saw it; the launcher is
//     not counted. A rank that lives less than a sampling interval may be
//     seen before it grew: keep runs well above --monitor-interval.
//   - bus_in_bytes / bus_out_bytes: what the gorun process read and wrote
//     during the job (/proc/self/io rchar and wchar, less the monitor's own
//     reads). In process mode the embedded NATS server lives in gorun, so
//     this is every byte the ranks published to the bus and every byte the
//     bus delivered to them, protocol framing included. In goroutine mode
//     ranks exchange data through memory: nothing crosses a bus, and what
//     remains is the rank output gorun forwards and a few KiB the launcher
//     reads for itself (the Go runtime's own /proc and cgroup reads), the
//     same floor in both modes.
//
// # Output
//
// DIR/scaling_runs.csv has one row per run. DIR/scaling.csv has one row per
// workload, scaling, mode and rank count:
//
//	workload,scaling,mode,ranks,factor,cores,oversubscribed,repeats,
//	time_median_s,time_q1_s,time_q3_s,time_min_s,time_max_s,
//	speedup,speedup_min,speedup_max,efficiency,karp_flatt,amdahl_serial_fraction,
//	cpu_s,peak_rss_bytes,bus_in_bytes,bus_out_bytes
//
// Speedup is T1/Tn against the same mode at one rank (strong), or the
// scaled speedup n*T1/Tn (weak: n times the work in time Tn); its min and
// max set the run-to-run spread (T1 median over Tn max and min).
// Efficiency is speedup/n. The Karp–Flatt serial fraction
// e = (1/S - 1/n)/(1 - 1/n) is given for strong scaling at n >= 2. The
// Amdahl serial fraction f is the least-squares fit of Tn/T1 = f + (1-f)/n
// over the rank counts up to the core count (beyond, ranks share cores
// and Amdahl's model of n processors does not hold); the same value is
// repeated on every row of the series. A figure that does not apply is
// empty.
//
// DIR/NAME_strong.png/.svg has eight panels: time (median, bars min-max),
// speedup against ideal, efficiency, Karp–Flatt, the Amdahl fit, CPU time,
// peak memory and bus bytes; DIR/NAME_weak.png/.svg has time, scaled
// speedup, efficiency, CPU time, memory and bus bytes. Both modes share
// every panel; the core count is a dashed line and the rank counts beyond
// it are shaded as oversubscribed.
//
// # Reading the plots
//
// Efficiency that falls as ranks grow means each added rank buys less than
// the one before: a fixed serial part (loading input, gathering results)
// weighs more as the parallel part shrinks, and communication, start-up and
// contention add cost. Karp–Flatt tells the two apart: a serial fraction
// that stays flat across n is a true serial part, as Amdahl's law assumes;
// one that rises with n is overhead that grows with the ranks, such as
// messages, collectives and processes competing for too few cores. Beyond
// the core count (the shaded region) ranks take turns on the cores, so
// time stops falling, efficiency halves with every doubling and e climbs
// towards 1. Process mode pays for every byte it moves (bus bytes, the
// server's CPU) and for one copy of the data per rank (memory grows with
// n); goroutine mode shares one copy and moves nothing.
package main
