//go:build !linux

package main

import "os"

// maxRSSKiB reports false: rusage's peak resident set is Linux's here.
func maxRSSKiB(*os.ProcessState) (int64, bool) { return 0, false }
