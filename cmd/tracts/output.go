package main

import (
	"bufio"
	"io"

	"github.com/gorun-dev/gorun/kernels/geo"

	"github.com/gorun-dev/gorun/cmd/internal/outfile"
)

// writeOutput writes the CSV "GEOID,distance_m" (distances as Python's
// repr) to path (atomically: path is untouched or complete), or to stdout
// when path is "" or "-".
func writeOutput(path string, stdout io.Writer, ids []string, dist []float64) error {
	if path == "" || path == "-" {
		return writeCSV(stdout, ids, dist)
	}
	return outfile.Write(path, func(w io.Writer) error { return writeCSV(w, ids, dist) })
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
