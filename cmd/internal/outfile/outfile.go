package outfile

import (
	"io"

	"github.com/gorun-dev/gorun/internal/atomicfile"
)

// Write creates or replaces path with what fill writes, as
// atomicfile.Write does: path is either untouched or complete.
func Write(path string, fill func(io.Writer) error) error {
	return atomicfile.Write(path, fill)
}

// IsStdout reports whether an --out value means standard output: "" (no
// flag) or "-".
func IsStdout(out string) bool { return out == "" || out == "-" }
