//go:build unix

package comm

import "syscall"

// keepFromChildren marks the inherited descriptor fd close-on-exec, so
// that the program's own child processes do not hold the launcher's pipe
// open after the program has exited.
func keepFromChildren(fd int) { syscall.CloseOnExec(fd) }
