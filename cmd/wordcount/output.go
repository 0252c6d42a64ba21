package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gorun-dev/gorun/kernels/wordcount"
)

// writeOutput writes rows as TSV to path, or to stdout when path is "" or
// "-". A file is written to a temporary file in the same directory and
// renamed into place, so path is either the old file or the whole new one.
func writeOutput(path string, stdout io.Writer, rows []wordcount.Entry) error {
	if path == "" || path == "-" {
		return wordcount.WriteTSV(stdout, rows)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if err := wordcount.WriteTSV(tmp, rows); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
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
