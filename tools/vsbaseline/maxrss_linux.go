//go:build linux

package main

import (
	"os"
	"syscall"
)

// maxRSSKiB is the peak resident set of an exited process, from wait4's
// rusage (KiB on Linux).
func maxRSSKiB(ps *os.ProcessState) (int64, bool) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, false
	}
	return int64(ru.Maxrss), true
}
