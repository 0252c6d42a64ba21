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
// trial time's median and 95th percentile. chaos exits 1 when any trial
// failed, printing what each failure found. It runs on Linux, where its
// trials read /proc.
//
// Rows so far (outwrite.go): a program, or gorun and its ranks, killed by
// SIGKILL at a random moment or while the output file is being written:
// the output must be the old file or the whole new one, and the directory
// must hold nothing else (no temporary file, even on SIGKILL).
//
// Adding a row: append a Row to rows (rows.go) with a Name and a Trial
// function. Trial gets the environment (binaries, a seeded random source,
// a scratch directory per trial) and returns an Outcome: Fail set to what
// was wrong, or empty for a pass, and any Counts to tally.
package main
