package main

import (
	"io"

	"github.com/gorun-dev/gorun/kernels/wordcount"

	"github.com/gorun-dev/gorun/cmd/internal/outfile"
)

// writeOutput writes rows as TSV to path (atomically: path is either the
// old file or the whole new one), or to stdout when path is "" or "-".
func writeOutput(path string, stdout io.Writer, rows []wordcount.Entry) error {
	return writeWith(path, stdout, func(w io.Writer) error { return wordcount.WriteTSV(w, rows) })
}

// writeWith is writeOutput with write producing the TSV.
func writeWith(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(stdout)
	}
	return outfile.Write(path, write)
}
