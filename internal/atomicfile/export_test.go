package atomicfile

// UseNamedTemp makes Write use named temporary files, as where O_TMPFILE
// is unsupported, until the returned function is called.
func UseNamedTemp() (restore func()) {
	makeTemp = func(dir, target string) (temp, error) { return newNamedTemp(dir, target) }
	return func() { makeTemp = newTemp }
}
