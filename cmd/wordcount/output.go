package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

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

// checkOutDir reports, before any work, an output path whose directory is
// missing or not a directory.
func checkOutDir(path string) error {
	if path == "" || path == "-" {
		return nil
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("--out %s: %w", path, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("--out %s: %s is not a directory", path, dir)
	}
	return nil
}
