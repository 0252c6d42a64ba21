// Package commtest is the conformance suite of the comm package, written
// once against the Comm API and run by every transport (the way nettest
// and fstest test every net.Conn and fs.FS), plus the helpers that make
// worlds for it: LocalWorld (goroutines) and NATSWorld (n connections of
// the test process to an embedded NATS server).
//
//	func TestConformance(t *testing.T) { commtest.Run(t, commtest.LocalWorld) }
package commtest
