package comm

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// A goroutine world's memory grows with its ranks: each has a goroutine,
// a Comm and a mailbox (about 10 KiB in all: docs/performance.md,
// Memory), and each mailbox keeps a bit per peer for
// the peers that left. NewWorld refuses a world whose estimate exceeds the
// memory available (MemAvailable in /proc/meminfo), rather than start it
// and be killed when the machine runs out.
const worldRankBytes = 16 << 10 // per rank, with a margin over the 10 KiB

// worldMemoryEstimate is the estimated memory of an n-rank goroutine
// world, in bytes (float64: n² overflows int64 for absurd n).
func worldMemoryEstimate(n int) float64 {
	return float64(n) * (worldRankBytes + float64(n)/8)
}

func checkWorldMemory(n int) error {
	avail := readMeminfo("MemAvailable:")
	if est := worldMemoryEstimate(n); est > float64(avail) {
		return fmt.Errorf("comm: a goroutine world of %d ranks needs about %.1f GiB of memory, more than the %.1f GiB available (MemAvailable in /proc/meminfo); use fewer ranks or --mode processes across hosts",
			n, est/(1<<30), float64(avail)/(1<<30))
	}
	return nil
}

// readMeminfo reads one field of /proc/meminfo ("MemAvailable:") in
// bytes, or the largest int64 where it cannot be read.
func readMeminfo(field string) int64 {
	const unknown = 1<<63 - 1
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return unknown
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// "MemAvailable:   24523180 kB"
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil || kb <= 0 {
				break
			}
			return kb << 10
		}
	}
	return unknown
}
