// Command gorun runs N copies of a program as the ranks of one job, like
// mpirun:
//
//	gorun [flags] [--] PROGRAM [ARGS...]
//
// See package launcher for the model and `gorun --help` for flags and exit
// codes.
//
// Examples:
//
//	gorun -n 4 ./prog                     4 rank processes on an embedded NATS bus
//	gorun -n 4 --mode goroutines ./prog   one process, 4 goroutine ranks
//	gorun -n 2 --monitor run ./prog       also write run.csv/.json (and .png/.svg with gorun-plot)
//	gorun -n 8 --server nats://h:4222 ./prog
//	gorun -H n1:4,n2:4 --tls ./prog       8 ranks on two hosts, routes in mutual TLS
package main
