// Package cli is the command-line handling the SPMD programs (tracts,
// sjoin, wordcount, pi) share: one flag set, checked once, with the exit
// statuses of GNU tools: 0 after --help, 2 for bad usage or bad input.
package cli
