//go:build !unix

package comm

// keepFromChildren does nothing where the launcher does not run.
func keepFromChildren(int) {}
