// Package monitor watches the ranks of a running gorun job: Monitor is a
// launcher.Observer (gorun --monitor FILE) that samples every rank
// process's CPU and resident memory from /proc, takes each rank's exact
// CPU time from its rusage when it is reaped and its peak RSS from the
// rank's own report on the bus (jobenv.SubjectUsage), and writes FILE.csv
// (the samples) and FILE.json (the summary, Report), each atomically.
// In a job across hosts (launcher.Sampler) each host's agent samples its
// own ranks with package procstat and the Monitor merges the hosts'
// snapshots into the same files, with a host column.
//
// ReadReport and ReadSamples read those files back, for programs that run
// gorun --monitor and use its figures. The figures themselves (FILE.png,
// FILE.svg) are drawn by package plots, which this package does not
// import, so that the gorun binary does not link a plotting library; set
// Monitor.Plot to draw them after the job.
//
// Monitor needs /proc (Linux); Validate says so before the job starts.
package monitor
