package natstransport

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"sync"
)

// A frame's size is announced in its first chunk, and the receiver
// allocates the whole frame at once, so that a large message is assembled
// in one buffer, with no copy, and numeric slices view it in place. The
// announcement is checked first: a frame larger than this machine's memory
// (MemTotal in /proc/meminfo) cannot be received, and allocating it would
// end the process ("fatal error: out of memory"), so it fails the world
// with an error naming the sender. Below that bound an unfilled buffer
// costs address space, not memory: the runtime takes a large buffer fresh
// from the kernel, whose pages are backed only as the chunks are written.

// maxFrameBytes is the largest frame a rank accepts: the machine's
// memory, or maxInt where it cannot be read.
func maxFrameBytes() int64 {
	memTotalOnce.Do(func() { memTotal = readMemTotal() })
	return memTotal
}

var (
	memTotalOnce sync.Once
	memTotal     int64
)

func readMemTotal() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return int64(maxInt)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// "MemTotal:       24523180 kB"
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil || kb <= 0 {
				break
			}
			return kb << 10
		}
	}
	return int64(maxInt)
}
