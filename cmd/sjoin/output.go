package main

import (
	"io"

	"github.com/gorun-dev/gorun/cmd/internal/outfile"
)

// writeOutput writes header and rows to path (atomically: path is
// untouched or complete), or to stdout when path is "" or "-".
func writeOutput(path string, stdout io.Writer, header, rows []byte) error {
	write := func(w io.Writer) error {
		if _, err := w.Write(header); err != nil {
			return err
		}
		_, err := w.Write(rows)
		return err
	}
	if path == "" || path == "-" {
		return write(stdout)
	}
	return outfile.Write(path, write)
}
