// Package slurm reads a SLURM allocation from the environment that salloc,
// sbatch and srun set: which nodes the job holds, how many tasks each may
// run, and, inside a job step, which task this process is.
//
// It only parses; it starts nothing. The launcher turns an Allocation into
// the same host list a hostfile gives and starts one agent per node with
// srun. Every parser here reads text a user or a scheduler controls, so each
// fails with an error naming the variable and the offending part instead of
// guessing.
package slurm
