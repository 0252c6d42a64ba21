//go:build linux

package atomicfile

// UseCopyLink makes Write's O_TMPFILE files unlinkable, as where /proc is
// not mounted and AT_EMPTY_PATH is not permitted, until the returned
// function is called.
func UseCopyLink() (restore func()) {
	noLink = true
	return func() { noLink = false }
}
