// Package natsworld holds a world of n ranks in one process over a real
// NATS bus: n connections, each one rank exactly as a gorun rank process
// would be, with the launcher's side of the ready barrier run in-process.
// It is what benchmarks and tests use to measure and check the NATS
// transport without starting processes; comm.NewWorld is its goroutine
// counterpart.
package natsworld
