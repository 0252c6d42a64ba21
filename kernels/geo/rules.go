package geo

import (
	"bytes"
	"fmt"
)

// The input rules every loader applies, the GeoJSON scanner, the go-geom
// path and the CSV reader alike, so a file means the same thing whichever
// path reads it:
//
//   - Coordinates are WGS84 degrees (RFC 7946 §4): longitude in
//     [-180, 180], latitude in [-90, 90]; anything else is an error.
//   - A GeoJSON position is 2 numbers (lon, lat) or 3, the third being the
//     altitude RFC 7946 §3.1.1 allows; the altitude is ignored (distances
//     are planar, as in GEOS). Positions of 1 or 4+ numbers, or of mixed
//     lengths in one geometry, are an error.
//   - A ring is closed, its last position equal to its first (RFC 7946
//     §3.1.6), and has at least 4 positions; an open ring is an error, not
//     closed silently.
//   - Numbers follow the JSON grammar (RFC 8259 §6): no leading zeros, no
//     '+', no bare '.', as encoding/json reads them.
//   - A UTF-8 byte-order mark at the start of a file is ignored (RFC 8259
//     §8.1 allows a parser to; spreadsheet programs write one to CSV).
const (
	maxLon = 180
	maxLat = 90
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// trimBOM drops a leading UTF-8 byte-order mark.
func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, utf8BOM) }

// checkLonLat reports a coordinate outside the WGS84 ranges.
func checkLonLat(lon, lat float64) error {
	if !(lon >= -maxLon && lon <= maxLon) { // also NaN
		return fmt.Errorf("longitude %g outside [-%d, %d]", lon, maxLon, maxLon)
	}
	if !(lat >= -maxLat && lat <= maxLat) {
		return fmt.Errorf("latitude %g outside [-%d, %d]", lat, maxLat, maxLat)
	}
	return nil
}

// checkParts applies the ring rules to a polygon's parts (rings of flat
// lon,lat pairs). Errors name the part, ring and position.
func checkParts(parts [][][]float64) error {
	if len(parts) == 0 {
		return fmt.Errorf("empty geometry")
	}
	for j, rings := range parts {
		if len(rings) == 0 {
			return fmt.Errorf("part %d: no rings", j)
		}
		for r, ring := range rings {
			n := len(ring) / 2
			if n < 4 {
				return fmt.Errorf("part %d ring %d: %d positions, need at least 4 (closed)", j, r, n)
			}
			for v := 0; v < n; v++ {
				if err := checkLonLat(ring[2*v], ring[2*v+1]); err != nil {
					return fmt.Errorf("part %d ring %d position %d: %w", j, r, v, err)
				}
			}
			if ring[0] != ring[2*n-2] || ring[1] != ring[2*n-1] {
				return fmt.Errorf("part %d ring %d: not closed: first position [%g, %g], last [%g, %g]",
					j, r, ring[0], ring[1], ring[2*n-2], ring[2*n-1])
			}
		}
	}
	return nil
}
