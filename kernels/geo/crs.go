package geo

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Projection maps lon/lat degrees to planar metres.
type Projection interface {
	// Forward projects one point.
	Forward(lon, lat float64) (x, y float64)
	// ForwardSlice projects flat lon,lat pairs from src into dst.
	ForwardSlice(dst, src []float64)
	// EPSG names the target system (0 if it has no code).
	EPSG() int
}

var _ Projection = (*TransverseMercator)(nil)

// UTMZone returns the WGS84 UTM EPSG code (326ZZ north, 327ZZ south) of the
// zone holding the centre of the lon/lat box b: ZZ = floor((lon_c+180)/6)+1,
// clamped to 1..60, north when the centre latitude is >= 0.
func UTMZone(b Bounds) int {
	lon := (b.MinX + b.MaxX) / 2
	lat := (b.MinY + b.MaxY) / 2
	zone := int(math.Floor((lon+180)/6)) + 1
	zone = min(max(zone, 1), 60)
	if lat >= 0 {
		return 32600 + zone
	}
	return 32700 + zone
}

// EPSGProjection returns the projection of a supported EPSG code:
// 32601-32660 and 32701-32760 (WGS84 / UTM north and south) and
// 26901-26923 (NAD83 / UTM north, GRS80 ellipsoid; the NAD83 -> WGS84 datum
// shift is taken as zero, as PROJ does without grids).
func EPSGProjection(code int) (*TransverseMercator, error) {
	switch {
	case code >= 32601 && code <= 32660:
		return UTM(WGS84, code-32600, false, code), nil
	case code >= 32701 && code <= 32760:
		return UTM(WGS84, code-32700, true, code), nil
	case code >= 26901 && code <= 26923:
		return UTM(GRS80, code-26900, false, code), nil
	}
	return nil, fmt.Errorf("geo: unsupported EPSG:%d (want 326ZZ, 327ZZ or 269ZZ UTM)", code)
}

// ParseCRS resolves a --crs value: "auto" (or "") picks UTMZone(lonlat),
// otherwise "EPSG:N" or "N".
func ParseCRS(s string, lonlat Bounds) (*TransverseMercator, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "auto") {
		if lonlat.Empty() {
			return nil, fmt.Errorf("geo: crs auto: no coordinates")
		}
		return EPSGProjection(UTMZone(lonlat))
	}
	num := s
	if len(s) > 5 && strings.EqualFold(s[:5], "EPSG:") {
		num = s[5:]
	}
	code, err := strconv.Atoi(num)
	if err != nil {
		return nil, fmt.Errorf("geo: bad crs %q: want auto or EPSG:N", s)
	}
	return EPSGProjection(code)
}
