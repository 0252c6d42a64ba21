//go:build !linux

package atomicfile

// newTemp is a named temporary file in dir: O_TMPFILE is Linux's.
func newTemp(dir, target string) (temp, error) { return newNamedTemp(dir, target) }
