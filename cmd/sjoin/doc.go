// Command sjoin assigns every point of a CSV file to the polygon that covers
// it (a point-in-polygon spatial join), on the ranks of a gorun job or alone:
//
//	sjoin --polygons F.geojson --points F.csv [--id GEOID] [--point-id COL]
//	      [--lat COL] [--lon COL] [--filter KEY=VAL] [--point-filter KEY=VAL]
//	      [--load root|all] [--out F] [-v]
//
// The output is CSV "<point id>,<polygon id>" (header: the point id column's
// name and --id), one row per point in input order; the polygon id is empty
// when no polygon covers the point. A point on a shared boundary goes to the
// first covering polygon in file order; holes are outside. The test is done
// in lon/lat, with no projection (see package kernels/geo). Output goes to
// stdout, or to F as cmd/internal/outfile writes it: atomically, never
// half-written, and refused with exit status 2 before any work when it is
// an input or its directory cannot be written.
//
// The model, rank by rank:
//
//  1. Polygons. Ranks that share a process share one copy of the polygons
//     and their grid index (comm.LoadOnce). Separate processes: rank 0
//     decodes the GeoJSON and broadcasts the binary form (--load root,
//     default; comm.BcastLoad), or every rank decodes it (--load all).
//  2. Points, the I/O-bound side, are read concurrently: every rank reads the
//     header, then the rows that start in its share of the data bytes (the
//     file cut into Size equal byte ranges, rows kept whole), and assigns
//     them, reporting progress in points (Comm.Progress).
//  3. The ranks agree on errors (comm.AgreeError); the first bad row in file
//     order is reported by rank 0 with its file, line and column, exit status 2.
//  4. Each rank formats its rows; comm.Gatherv concatenates them at rank 0 in
//     rank order, which is file order, and rank 0 writes the file.
//
// The output is byte-identical at every rank count and in both gorun modes.
package main
