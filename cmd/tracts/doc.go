// Command tracts computes, for every census tract, the distance in metres to
// its k-th closest facility, on the ranks of a gorun job (or alone):
//
//	tracts --tracts F.geojson --points F.csv [--k 3] [--dup D]
//	       [--method index|brute] [--schedule static|dynamic] [--chunk N]
//	       [--crs auto|EPSG:N] [--id GEOID] [--filter KEY=VAL]
//	       [--point-filter KEY=VAL] [--load root|all] [--out F] [-v]
//
// Facilities are the CSV points repeated --dup times (duplicates count, as
// the lecture's pd.concat); both layers are projected to the UTM zone of
// the tracts' centre (or --crs). The output is CSV "GEOID,distance_m", one
// row per tract in input order, distances as Python's repr prints them; to
// stdout, or to F as cmd/internal/outfile writes it: atomically, never
// half-written, and refused with exit status 2 before any work when it is
// an input or its directory cannot be written. The definitions are those of package kernels/geo.
// For scaling runs either input may be synthetic: --tracts synth:N[:SEED]
// makes N tract-like polygons (non-convex, some with holes) tiling a
// 1-degree box over Chicago, --points synth:N[:SEED] N uniform points there;
// both are deterministic by seed.
//
// The model, rank by rank:
//
//  1. Loading. Ranks that share one process (gorun --mode goroutines, or a
//     standalone run) share one copy of the projected inputs and of the
//     facility index (comm.LoadOnce), loaded once. Separate processes:
//     with --load root (the default) rank 0 reads, filters and projects,
//     then broadcasts the compact binary form (comm.BcastLoad; GeoJSON
//     decoding is the slow part); with --load all every rank reads the
//     files itself (comm.AgreeError). A read error reaches every rank, so
//     all stop together.
//  2. Index. --method index builds a KD-tree over the distinct facility
//     locations, weighted by multiplicity (dup costs nothing); --method
//     brute keeps the N×D copies and computes every distance.
//  3. Compute. --schedule static gives rank r the r-th contiguous equal slice
//     of tracts, gathered at rank 0 with comm.Gatherv; --schedule dynamic
//     hands chunks of --chunk tracts to whichever rank is free (comm.Map).
//     Ranks report progress in tracts (Comm.Progress; under dynamic, rank 0
//     carries the total and every rank its own count).
//  4. Output. Rank 0 writes the CSV. -v prints each rank's phase times
//     (load, index, compute, write) to stderr.
//
// Bad input (a missing or malformed file, a non-numeric coordinate, a k
// larger than the facility multiset) is reported once, by rank 0, naming
// the file and the line or feature, with exit status 2. Results are the
// same, to rounding, for every method, schedule and rank count.
package main
