//go:build !unix

package main

import "testing"

// mkfifo skips the test: this platform has no named pipes in its file
// system.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	t.Skipf("no named pipes here for %s", path)
}
