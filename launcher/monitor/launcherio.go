package monitor

import (
	"os"

	"github.com/gorun-dev/gorun/launcher/procstat"
)

// ioCounters are the rchar and wchar lines of /proc/PID/io: bytes passed
// to read and write system calls of every kind (files, pipes, sockets).
type ioCounters struct {
	read, written int64
	self          int64 // bytes of the io files read to get these counters
}

// launcherIO sums the io counters of this process's live threads
// (/proc/self/task/TID/io). The process-wide /proc/self/io will not do:
// the kernel adds a reaped child's counters to its parent's, so it would
// count every rank's file reads once the ranks have exited.
func launcherIO() (ioCounters, error) {
	dir, err := os.Open("/proc/self/task")
	if err != nil {
		return ioCounters{}, err
	}
	names, err := dir.Readdirnames(-1)
	dir.Close()
	if err != nil {
		return ioCounters{}, err
	}
	var c ioCounters
	for _, tid := range names {
		b, err := os.ReadFile("/proc/self/task/" + tid + "/io")
		if err != nil {
			continue // the thread exited
		}
		c.read += procstat.Field(b, "rchar:")
		c.written += procstat.Field(b, "wchar:")
		c.self += int64(len(b))
	}
	return c, nil
}
