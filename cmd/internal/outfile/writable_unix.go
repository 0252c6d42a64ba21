//go:build unix

package outfile

import "syscall"

// writable reports why path cannot be written, or nil: the access(2) check,
// which for root fails only on a read-only file system.
func writable(path string) error {
	return syscall.Access(path, 2) // W_OK
}
