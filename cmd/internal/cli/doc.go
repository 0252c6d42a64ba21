// Package cli is what the SPMD programs (tracts, sjoin, wordcount, pi)
// share at their edges, with the exit statuses of GNU tools: one flag set,
// checked once (ParseOrExit: 0 after --help, 2 for bad usage), and bad
// input reported once for the whole job (BadInput, Exit, ExitBadInput:
// status 2 from rank 0, nil from the others, which saw the same input).
package cli
