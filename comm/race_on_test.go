//go:build race

package comm_test

// raceEnabled: the race detector is on, and sync.Pool drops what it
// holds at random, so allocation counts mean nothing.
const raceEnabled = true
