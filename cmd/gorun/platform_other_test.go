//go:build !linux

package main

import (
	"bytes"
	"testing"
)

// Off Linux gorun refuses every job with one line, exit status 125, and
// starts nothing.
func TestLinuxOnly(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"-n", "2", "--mode", "goroutines", "true"}, nil, &stdout, &stderr)
	want := "gorun: the launcher runs on Linux only; comm programs run elsewhere in goroutine mode (GORUN_SIZE=N PROGRAM)\n"
	if code != 125 || stderr.String() != want || stdout.Len() != 0 {
		t.Errorf("gorun = %d, stdout %q, stderr %q; want 125 and %q", code, stdout.String(), stderr.String(), want)
	}
}
