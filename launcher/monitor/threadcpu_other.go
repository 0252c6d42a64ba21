//go:build !linux

package monitor

import "time"

// threadCPU is 0 where a thread's CPU time is not available; the monitor
// runs only under the launcher, which runs on Linux only.
func threadCPU() time.Duration { return 0 }
