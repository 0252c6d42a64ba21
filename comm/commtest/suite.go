package commtest

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
)

// MakeWorld connects the n ranks of a fresh world.
type MakeWorld func(ctx context.Context, n int) ([]*comm.Comm, error)

// LocalWorld makes goroutine worlds.
func LocalWorld(ctx context.Context, n int) ([]*comm.Comm, error) { return comm.NewWorld(n) }

// Sizes are the world sizes every test runs at: powers of two and not.
var Sizes = []int{1, 2, 3, 4, 7, 8}

// Run runs the whole conformance suite against worlds made by mk.
func Run(t *testing.T, mk MakeWorld) { run(t, mk, true) }

// RunAcrossServers runs the suite against worlds whose ranks talk through
// several servers joined by routes (MeshWorld, a multi-host job). It
// leaves out AnySourceFairness: messages of different senders that are
// causally ordered travel different routes there, so they may arrive out
// of that order, which MPI does not promise either (only messages of one
// sender to one receiver keep their order: NonOvertaking).
func RunAcrossServers(t *testing.T, mk MakeWorld) { run(t, mk, false) }

// RunCollectives runs the part of the suite that exercises collectives:
// every collective and op, mismatches, a peer gone mid-call, types,
// Split and Cart. For a second path of the collectives (OnNodes) over a
// transport whose whole suite runs already.
func RunCollectives(t *testing.T, mk MakeWorld) {
	t.Run("Collectives", func(t *testing.T) { testCollectives(t, mk) })
	t.Run("Mismatch", func(t *testing.T) { testMismatch(t, mk) })
	t.Run("OpMismatch", func(t *testing.T) { testOpMismatch(t, mk) })
	t.Run("CountMismatch", func(t *testing.T) { testCountMismatch(t, mk) })
	t.Run("PeerClosesMidCollective", func(t *testing.T) { testPeerCloses(t, mk) })
	t.Run("Types", func(t *testing.T) { testTypes(t, mk) })
	t.Run("Ops", func(t *testing.T) { testOps(t, mk) })
	t.Run("Split", func(t *testing.T) { testSplit(t, mk) })
	t.Run("Cart", func(t *testing.T) { testCart(t, mk) })
}

func run(t *testing.T, mk MakeWorld, causal bool) {
	t.Run("PointToPoint", func(t *testing.T) { testPointToPoint(t, mk) })
	t.Run("Wildcards", func(t *testing.T) { testWildcards(t, mk) })
	t.Run("NonOvertaking", func(t *testing.T) { testNonOvertaking(t, mk) })
	if causal {
		t.Run("AnySourceFairness", func(t *testing.T) { testAnySourceFairness(t, mk) })
	}
	t.Run("NonBlocking", func(t *testing.T) { testNonBlocking(t, mk) })
	t.Run("IsendOrder", func(t *testing.T) { testIsendOrder(t, mk) })
	t.Run("IsendOverlap", func(t *testing.T) { testIsendOverlap(t, mk) })
	t.Run("Probe", func(t *testing.T) { testProbe(t, mk) })
	t.Run("ZeroLength", func(t *testing.T) { testZeroLength(t, mk) })
	t.Run("Huge", func(t *testing.T) { testHuge(t, mk) })
	t.Run("ValueSemantics", func(t *testing.T) { testValueSemantics(t, mk) })
	t.Run("Cancellation", func(t *testing.T) { testCancellation(t, mk) })
	t.Run("Collectives", func(t *testing.T) { testCollectives(t, mk) })
	t.Run("Map", func(t *testing.T) { testMap(t, mk) })
	t.Run("MapError", func(t *testing.T) { testMapError(t, mk) })
	t.Run("ReplaceOnReceive", func(t *testing.T) { testReplaceOnReceive(t, mk) })
	t.Run("Mismatch", func(t *testing.T) { testMismatch(t, mk) })
	t.Run("OpMismatch", func(t *testing.T) { testOpMismatch(t, mk) })
	t.Run("CountMismatch", func(t *testing.T) { testCountMismatch(t, mk) })
	t.Run("EveryRankMismatch", func(t *testing.T) { testEveryRankMismatch(t, mk) })
	t.Run("PeerClosesMidCollective", func(t *testing.T) { testPeerCloses(t, mk) })
	t.Run("NoSilentLoss", func(t *testing.T) { testNoSilentLoss(t, mk) })
	t.Run("Types", func(t *testing.T) { testTypes(t, mk) })
	t.Run("ReceiveErrors", func(t *testing.T) { testReceiveErrors(t, mk) })
	t.Run("Sendrecv", func(t *testing.T) { testSendrecv(t, mk) })
	t.Run("Requests", func(t *testing.T) { testRequests(t, mk) })
	t.Run("NonBlockingCollectives", func(t *testing.T) { testNonBlockingCollectives(t, mk) })
	t.Run("NonBlockingMany", func(t *testing.T) { testNonBlockingMany(t, mk) })
	t.Run("NonBlockingOverlap", func(t *testing.T) { testNonBlockingOverlap(t, mk) })
	t.Run("NonBlockingMismatch", func(t *testing.T) { testNonBlockingMismatch(t, mk) })
	t.Run("Ops", func(t *testing.T) { testOps(t, mk) })
	t.Run("Mprobe", func(t *testing.T) { testMprobe(t, mk) })
	t.Run("Ssend", func(t *testing.T) { testSsend(t, mk) })
	t.Run("SsendPosted", func(t *testing.T) { testSsendPosted(t, mk) })
	t.Run("Info", func(t *testing.T) { testInfo(t, mk) })
	t.Run("Split", func(t *testing.T) { testSplit(t, mk) })
	t.Run("Cart", func(t *testing.T) { testCart(t, mk) })
	t.Run("Buffers", func(t *testing.T) { testBuffers(t, mk) })
	t.Run("InPlace", func(t *testing.T) { testInPlace(t, mk) })
	t.Run("Displs", func(t *testing.T) { testDispls(t, mk) })
	t.Run("Neighbor", func(t *testing.T) { testNeighbor(t, mk) })
}

// world runs fn on every rank of a fresh n-rank world and returns the
// first rank's error, as comm.RunWorld does. The world's ctx ends after
// 2 minutes, far beyond what any test needs: it turns a hang into a
// failure.
func world(t *testing.T, mk MakeWorld, n int, fn comm.RankFunc) error {
	t.Helper()
	return worldWithin(t, mk, n, 2*time.Minute, fn)
}

// worldWithin is world with a ctx that ends after d. A world still
// running then is stuck: the test logs every goroutine's stack as it was
// shortly before, to show where.
func worldWithin(t *testing.T, mk MakeWorld, n int, d time.Duration, fn comm.RankFunc) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var stacks atomic.Pointer[[]byte]
	stop := time.AfterFunc(d-d/20, func() {
		buf := make([]byte, 4<<20)
		buf = buf[:runtime.Stack(buf, true)]
		stacks.Store(&buf)
	})
	defer stop.Stop()
	comms, err := mk(ctx, n)
	if err != nil {
		t.Fatalf("making a world of %d: %v", n, err)
	}
	err = comm.RunWorld(ctx, comms, fn)
	if b := stacks.Load(); b != nil && ctx.Err() != nil {
		t.Logf("world of %d stuck for %v; goroutines %v before its ctx ended:\n%s", n, d, d/20, *b)
	}
	return err
}

// eachSize runs fn as a subtest at every world size.
func eachSize(t *testing.T, mk MakeWorld, fn comm.RankFunc) {
	for _, n := range Sizes {
		t.Run(sizeName(n), func(t *testing.T) {
			if err := world(t, mk, n, fn); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func sizeName(n int) string { return fmt.Sprintf("n=%d", n) }
