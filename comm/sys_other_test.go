//go:build !unix

package comm_test

import (
	"os"
	"testing"
	"time"
)

// cpuTime is 0 where there is no getrusage: the cpu-ms/op metrics read 0.
func cpuTime() time.Duration { return 0 }

// dupFD skips the test: the token descriptor (GORUN_TOKEN_FD) is a Unix
// file descriptor.
func dupFD(t *testing.T, f *os.File) int {
	t.Helper()
	t.Skipf("no file descriptors to pass here (%s)", f.Name())
	return -1
}
