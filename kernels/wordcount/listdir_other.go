//go:build !linux

package wordcount

// newLister and newStatter give Walk and StatSizes the portable listing.
func newLister() dirLister    { return portableLister{} }
func newStatter() sizeStatter { return portableStatter{} }
