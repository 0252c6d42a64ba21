// Package procstat reads a process's CPU time and resident memory from
// /proc (Linux): the sampling that gorun --monitor does, shared by the
// launcher's monitor and each host's agent of a multi-host job.
package procstat
