//go:build unix

package geo

import (
	"syscall"
	"time"
)

// cpuTime is this process's user+system CPU time: on a shared machine it
// is steadier than wall time for per-item costs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
