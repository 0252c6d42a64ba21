package main

import (
	"io"
	"os"
	"path/filepath"
)

// writeOutput writes header and rows to path, or to stdout when path is ""
// or "-". A file is written to a temporary file in the same directory and
// renamed into place, so path is either untouched or complete.
func writeOutput(path string, stdout io.Writer, header, rows []byte) error {
	if path == "" || path == "-" {
		if _, err := stdout.Write(header); err != nil {
			return err
		}
		_, err := stdout.Write(rows)
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	_, err = tmp.Write(header)
	if err == nil {
		_, err = tmp.Write(rows)
	}
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
