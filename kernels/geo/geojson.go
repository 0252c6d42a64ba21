package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/geojson"
)

// Filter keeps records whose property Key equals one of Values.
type Filter struct {
	Key    string
	Values []string
}

// ParseFilter parses "KEY=VAL" or "KEY=V1,V2,..." ("" gives the zero Filter,
// which keeps everything).
func ParseFilter(s string) (Filter, error) {
	if strings.TrimSpace(s) == "" {
		return Filter{}, nil
	}
	k, v, ok := strings.Cut(s, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return Filter{}, fmt.Errorf("geo: bad filter %q: want KEY=VALUE[,VALUE...]", s)
	}
	f := Filter{Key: k}
	for _, x := range strings.Split(v, ",") {
		f.Values = append(f.Values, strings.TrimSpace(x))
	}
	return f, nil
}

// Active reports whether f filters anything.
func (f Filter) Active() bool { return f.Key != "" }

// Match reports whether value passes f.
func (f Filter) Match(value string) bool {
	if !f.Active() {
		return true
	}
	for _, v := range f.Values {
		if v == value {
			return true
		}
	}
	return false
}

// GeoJSONOptions selects what LoadGeoJSON keeps. The zero value keeps every
// feature and names it by its GEOID property.
type GeoJSONOptions struct {
	// ID is the property naming each polygon (default "GEOID"); when a
	// feature lacks it, the feature's own "id" member is used.
	ID string
	// Filter keeps only features whose property matches (optional).
	Filter Filter
}

// LoadGeoJSON reads a FeatureCollection of Polygon and MultiPolygon
// features in lon/lat. Errors name the file and the feature.
func LoadGeoJSON(path string, opt GeoJSONOptions) (*Polygons, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	p, err := DecodeGeoJSON(data, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// ReadGeoJSON is LoadGeoJSON over a reader; name prefixes errors.
func ReadGeoJSON(r io.Reader, name string, opt GeoJSONOptions) (*Polygons, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p, err := DecodeGeoJSON(data, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

// DecodeGeoJSON decodes a FeatureCollection held in data.
// Both decoders apply the input rules of rules.go.
func DecodeGeoJSON(data []byte, opt GeoJSONOptions) (*Polygons, error) {
	data = trimBOM(data)
	if !utf8.Valid(data) {
		off := invalidUTF8Offset(data)
		return nil, fmt.Errorf("line %d: invalid UTF-8", lineAt(data, off))
	}
	idProp := opt.ID
	if idProp == "" {
		idProp = "GEOID"
	}
	if p, ok := decodeFast(data, idProp, opt.Filter); ok {
		return p, nil
	}
	return decodeGeom(data, idProp, opt.Filter)
}

// decodeGeom decodes with encoding/json and go-geom's encoding/geojson: the
// reference path for every input decodeFast does not take, and the source
// of all error messages.
func decodeGeom(data []byte, idProp string, filter Filter) (*Polygons, error) {
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, jsonError(data, err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("not a FeatureCollection (type %q)", fc.Type)
	}
	p := NewPolygons()
	var parts [][][]float64
	for i, raw := range fc.Features {
		if filter.Active() {
			// A feature filtered out is not decoded further, as the
			// scanner skips its geometry unread.
			var props struct {
				Properties map[string]any `json:"properties"`
			}
			if err := json.Unmarshal(raw, &props); err != nil {
				return nil, fmt.Errorf("feature %d: %w", i, plainJSONError(err))
			}
			v, ok := propString(props.Properties, filter.Key)
			if !ok || !filter.Match(v) {
				continue
			}
		}
		var f geojson.Feature
		if err := json.Unmarshal(raw, &f); err != nil {
			return nil, fmt.Errorf("feature %d: %w", i, plainJSONError(err))
		}
		id, ok := propString(f.Properties, idProp)
		if !ok {
			if f.ID == "" {
				return nil, fmt.Errorf("feature %d: no %q property", i, idProp)
			}
			id = f.ID
		}
		var err error
		parts, err = geomParts(parts[:0], f.Geometry)
		if err == nil {
			err = checkParts(parts)
		}
		if err == nil {
			err = p.Add(id, parts)
		}
		if err != nil {
			return nil, fmt.Errorf("feature %d (%s %s): %w", i, idProp, id, err)
		}
	}
	return p, nil
}

// geomParts flattens a Polygon or MultiPolygon into rings of x,y pairs,
// dropping an altitude.
func geomParts(dst [][][]float64, g geom.T) ([][][]float64, error) {
	if g != nil && g.Stride() > 3 {
		return nil, fmt.Errorf("positions of %d numbers, want 2 (lon, lat) or 3 (lon, lat, altitude)", g.Stride())
	}
	switch g := g.(type) {
	case nil:
		return nil, errors.New("no geometry")
	case *geom.Polygon:
		return append(dst, polygonRings(g)), nil
	case *geom.MultiPolygon:
		for j := 0; j < g.NumPolygons(); j++ {
			dst = append(dst, polygonRings(g.Polygon(j)))
		}
		return dst, nil
	default:
		return nil, fmt.Errorf("unsupported geometry %s", geometryName(g))
	}
}

func polygonRings(pg *geom.Polygon) [][]float64 {
	rings := make([][]float64, pg.NumLinearRings())
	for r := range rings {
		lr := pg.LinearRing(r)
		flat, stride := lr.FlatCoords(), lr.Stride()
		if stride == 2 {
			rings[r] = flat
			continue
		}
		xy := make([]float64, 0, len(flat)/stride*2)
		for v := 0; v+1 < len(flat); v += stride {
			xy = append(xy, flat[v], flat[v+1])
		}
		rings[r] = xy
	}
	return rings
}

func geometryName(g geom.T) string {
	switch g.(type) {
	case *geom.Point:
		return "Point"
	case *geom.MultiPoint:
		return "MultiPoint"
	case *geom.LineString:
		return "LineString"
	case *geom.MultiLineString:
		return "MultiLineString"
	case *geom.GeometryCollection:
		return "GeometryCollection"
	case *geom.LinearRing:
		return "LinearRing"
	}
	return "of another type"
}

// propString returns a property as text (numbers without exponent).
func propString(props map[string]any, key string) (string, bool) {
	v, ok := props[key]
	if !ok || v == nil {
		return "", false
	}
	switch v := v.(type) {
	case string:
		return v, true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return fmt.Sprint(v), true
}

// jsonError turns a decoding error into one naming the line.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("line %d: malformed JSON: %v", lineAt(data, int(se.Offset)), err)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("line %d: malformed GeoJSON: %v", lineAt(data, int(te.Offset)), plainJSONError(err))
	}
	return fmt.Errorf("malformed GeoJSON: %w", err)
}

// lineAt is the 1-based line holding byte offset off.
func lineAt(data []byte, off int) int {
	off = min(max(off, 0), len(data))
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}

func invalidUTF8Offset(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(data)
}
