// Package slurmtest runs gorun inside a real SLURM cluster: slurmctld and
// one slurmd per network-namespace host, brought up by
// scripts/slurm-cluster.sh (make slurm-test, as root). Without that
// cluster, every test skips with one line saying how to run it.
package slurmtest
