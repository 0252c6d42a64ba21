// Command synth writes synthetic tract-like polygons and points, a GeoJSON
// and a CSV that cmd/tracts and cmd/sjoin read like the bundled data, of any
// size, deterministically from a seed:
//
//	synth --polygons 5000 --points 20000 --seed 1 --out /tmp/synth
//	    -> /tmp/synth.geojson, /tmp/synth.csv
//	tracts --tracts /tmp/synth.geojson --points /tmp/synth.csv --id GEOID
//
// The shapes come from kernels/geo's generator (geo.SynthPolygons,
// geo.SynthPoints): star-shaped, non-convex rings of 8 to 31 vertices in a
// near-square grid over the region, about one in ten with a square hole;
// with --scatter, cells are left empty at random. Points are uniform over
// the region. The same flags give byte-identical files.
//
// The GeoJSON is a FeatureCollection of Polygon features with one property,
// GEOID ("S0000001"...); coordinates are lon/lat degrees with 7 decimals
// (about 1 cm). The CSV is "id,latitude,longitude" with ids "P1"...
//
// A weak-scaling sweep grows the input with the ranks by writing one file
// per size, e.g. --polygons $((1000*n)).
package main
