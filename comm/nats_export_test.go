package comm

import (
	"github.com/gorun-dev/gorun/comm/natstransport"
	"github.com/gorun-dev/gorun/comm/transport"
)

// Hooks for the external tests of comm over the NATS transport.

// JoinNATSFromEnv is joinNATSFromEnv.
var JoinNATSFromEnv = joinNATSFromEnv

// SetNATSLimits is natstransport.SetLimitsForTesting.
var SetNATSLimits = natstransport.SetLimitsForTesting

// NATSMaxData is the payload a single NATS message of c's transport
// carries: frames larger than this are chunked.
func NATSMaxData(c *Comm) int { return c.t.(*natstransport.Transport).MaxData() }

// NATSBatches is the number of batch messages c's transport has sent.
func NATSBatches(c *Comm) int64 { return c.t.(*natstransport.Transport).Batches() }

// SentBytes is what c's transport counted as sent to dst.
func SentBytes(c *Comm, dst int) int64 { return c.t.(transport.Counting).SentBytes(dst) }

// Stages reports whether c's collectives run in stages over nodes and,
// on a node's leader, how many leaders there are (hierarchyFor must have
// run: after c's first collective).
func Stages(c *Comm) (staged bool, leaders int) {
	if c.hier == nil {
		return false, 0
	}
	if c.hier.leaders != nil {
		leaders = c.hier.leaders.Size()
	}
	return true, leaders
}
