// Package buildtest builds the repository's programs for tests that run
// them as real processes (gorun launching real ranks), once per test
// binary, without -race: they are what the tests time and launch.
package buildtest
