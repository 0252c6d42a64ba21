// Package geo is the pure compute kernel of the tracts and sjoin programs:
// loading polygons and points, projecting them to metres, the distance from
// a polygon to a point, the k-th nearest facility of every polygon, and
// point-in-polygon assignment. It knows nothing of ranks: every kernel takes
// a range [lo, hi) of polygons (or a slice of points) and a destination
// slice first, so callers split the work statically or in dynamic chunks.
//
// # Data model
//
// Polygons is a flat, read-only form (ids, part and ring offsets, one
// []float64 of x,y pairs) of GeoJSON Polygon and MultiPolygon features with
// holes; Points is a flat point set. Both have MarshalBinary/UnmarshalBinary
// (raw little-endian arrays), so one rank decodes the GeoJSON and
// broadcasts bytes. Plain files (Polygon/MultiPolygon, 2-D positions) go
// through a one-pass scanner; anything else, and every error message,
// through encoding/json and go-geom's encoding/geojson (several times
// slower), with geom.XY layout; a test checks both give identical results.
// Values are never modified after construction and may be shared by
// goroutines; Facilities and PIPIndex likewise once built.
//
// Input errors name the file and the feature (GeoJSON: "tracts.geojson:
// feature 17 (GEOID 17031...): unsupported geometry Point") or the line and
// column (CSV: "zips.csv: line 12: column 2 (latitude): bad coordinate").
//
// Every loader applies the same input rules (rules.go): longitude in
// [-180, 180] and latitude in [-90, 90]; GeoJSON positions of 2 numbers or
// 3 (an altitude, ignored); rings closed, with at least 4 positions; JSON
// numbers as RFC 8259 spells them (no leading zeros); a leading UTF-8
// byte-order mark ignored. A filter skips a feature's geometry unread, so
// only the features kept are checked. The binary forms are checked on
// decoding for the same structure (closed rings of 4+ finite vertices,
// consistent offsets, no trailing bytes).
//
// # Definitions (those of the reference answers, GEOS and PROJ)
//
//   - Distance(polygon, point) is 0 when the polygon covers the point
//     (inside, or on an edge; holes are outside), else the least distance to
//     any ring segment, computed term for term as GEOS's
//     Distance::pointToSegment on the nearest segment.
//   - The k-th distance of a polygon is over the facility multiset: the
//     points repeated dup times (the lecture's pd.concat([points]*dup)), so
//     coincident points and copies all count.
//   - Point in polygon is done in lon/lat, no projection; a point belongs to
//     the first polygon in file order that covers it.
//   - Containment uses ray crossings with an exact orientation predicate
//     (floating-point filter, exact rational fallback), as GEOS's
//     RayCrossingCounter, so boundary points are found exactly.
//
// # Projection
//
// The default system is the WGS84 UTM zone (EPSG:326ZZ, or 327ZZ south) of
// the centre of the polygons' lon/lat bounding box; EPSG:326ZZ, 327ZZ and
// 269ZZ (NAD83, GRS80 ellipsoid, null datum shift as PROJ without grids) are
// selectable. The transverse Mercator is written here rather than taken
// from a library: the maintained pure-Go options found (wroge/wgs84 and
// go-coo, im7mortal/UTM, the unmaintained go-spatial/proj port of PROJ 4)
// implement the Evenden/Snyder series or older formulas, which differ from
// PROJ's default (Poder/Engsager "exact" algorithm) by up to several
// micrometres 4.5 degrees off the central meridian, and the PROJ bindings
// (twpayne/go-proj) need cgo and libproj. The implementation follows
// PROJ's: Gaussian latitude by a 6th-order Clenshaw series in the third
// flattening n, then Krüger's 6th-order complex series; it agrees with PROJ
// 9.1.1 to a few nanometres (testdata/geo/tmerc_golden.csv).
//
// # k-th nearest
//
// KthIndex searches Facilities, built once per facility set: a KD-tree over
// the distinct facility locations with multiplicity weights (dup only
// scales the weights, so it costs nothing), searched best-first per polygon
// with the polygon's bounding box as the lower bound and the exact polygon
// distance as refinement. KthBrute is the lecture's algorithm: the distance
// to every one of the N×D facility copies, then quickselect (no sort). Each
// of those distances is computed in full; inside one distance, runs of
// about sqrt(edges) ring edges sit under a bounding box, and a run whose box
// is farther than the nearest edge found so far is not scanned (GEOS's
// DistanceOp skips whole rings the same way), the containment test only
// visits runs the point's ray can cross, and a point outside the polygon's
// box skips it. Both methods end with GEOS's formula on the nearest
// segment, so they agree to rounding (1e-12 relative, byte-identical on the
// synthetic tests) and with the references to 9e-11 relative.
package geo
