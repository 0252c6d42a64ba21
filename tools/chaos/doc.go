//go:build linux

// Command chaos repeats fault trials against the real programs and prints
// one summary row per kind of trial, run by `make chaos` (and by CI with
// --short):
//
//	chaos [--bin DIR] [--trials N] [--short] [--only SUBSTR] [--seed S]
//
// Each row is a kind of trial with a pass rule; each trial runs real
// processes from --bin (gorun and the programs, built by `make build`) in
// a fresh temporary directory. The table gives trials, passes, failures,
// counters the row keeps (how many kills landed mid-write, say) and the
// trial time's and, where it applies, the teardown time's median and 95th
// percentile. chaos exits 1 when any trial failed, printing what the first
// failures of each row found. It runs on Linux, where its trials read
// /proc.
//
// The rows, each a real job of gorun and tools/chaos/rankprog (built by
// chaos itself) or of wordcount:
//   - rankfail.go: a random rank of 2-4 exits 3, panics, kills itself with
//     SIGKILL or returns an error at a random moment while the others wait
//     on it in an Allreduce or a Recv, in both modes: gorun's status is
//     that rank's, the first rank named is that rank, and no process of
//     the job (every rank has a sleep child, and one in a session of its
//     own) is left 2 s later; the
//     teardown is from the failure to gorun's exit. Also SIGKILL, SIGTERM
//     and SIGINT to gorun while ranks and their children run: nothing is
//     left 2 s later, and the status is 128+signal.
//   - burst.go: SIGSTOP of a random rank for 1-2 s while every other rank
//     sends numbered messages to rank 0, then SIGCONT: every message
//     arrives, once, in order.
//   - mismatch.go: ranks split into two groups calling collectives that
//     differ in kind, root, reduction op or element count, in both modes:
//     every rank gets a *comm.MismatchError, no result and no hang.
//   - outwrite.go: a program, or gorun and its ranks, killed by SIGKILL
//     at a random moment or while the output file is being written: the
//     output must be the old file or the whole new one, and the directory
//     must hold nothing else (no temporary file, even on SIGKILL).
//
// Every process of a trial carries CHAOS_TRIAL=<its directory> in its
// environment, so a scan of /proc finds each descendant, even one
// reparented to init. A row whose Known is set shows an open defect: its
// failures are printed as KNOWN and do not make chaos exit 1. --short
// runs 3 trials per row, or a row's Short.
//
// Adding a row: append a Row to rows (rows.go) with a Name and a Trial
// function. Trial gets the environment (binaries, a seeded random source,
// a scratch directory per trial) and returns an Outcome: Fail set to what
// was wrong, or empty for a pass, any Counts to tally, and the Teardown
// time where the row measures one.
package main
