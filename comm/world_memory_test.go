package comm

import (
	"runtime"
	"strings"
	"testing"
)

// TestWorldMemoryLinear: a goroutine world's state grows about linearly
// with its ranks (it grew as 65 B x n², 1 GiB for 4,096 ranks).
func TestWorldMemoryLinear(t *testing.T) {
	const n = 4096
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	comms, err := NewWorld(n)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perRank := int64(after.HeapAlloc-before.HeapAlloc) / n
	t.Logf("%d ranks: %d bytes per rank", n, perRank)
	if perRank > 8<<10 {
		t.Errorf("%d bytes per rank of a %d-rank world, want under 8 KiB", perRank, n)
	}
	runtime.KeepAlive(comms)
}

// TestWorldTooLarge: a world that cannot fit in memory is refused with a
// clear message before anything is allocated.
func TestWorldTooLarge(t *testing.T) {
	_, err := NewWorld(100_000_000)
	if err == nil || !strings.Contains(err.Error(), "100000000 ranks needs about") || !strings.Contains(err.Error(), "MemAvailable") {
		t.Fatalf("NewWorld(1e8): %v, want a refusal naming the memory", err)
	}
}
