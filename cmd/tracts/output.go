package main

import (
	"bufio"
	"io"
	"os"
	"path/filepath"

	"github.com/gorun-dev/gorun/kernels/geo"
)

// writeOutput writes the CSV "GEOID,distance_m" (distances as Python's
// repr) to path, or to stdout when path is "" or "-". A file is written to
// a temporary file in the same directory and renamed into place, so path
// is either untouched or complete.
func writeOutput(path string, stdout io.Writer, ids []string, dist []float64) error {
	if path == "" || path == "-" {
		return writeCSV(stdout, ids, dist)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if err := writeCSV(tmp, ids, dist); err != nil {
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

func writeCSV(w io.Writer, ids []string, dist []float64) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("GEOID,distance_m\n")
	var line []byte
	for i, id := range ids {
		line = append(append(line[:0], id...), ',')
		line = append(geo.AppendRepr(line, dist[i]), '\n')
		bw.Write(line)
	}
	return bw.Flush()
}
