package geo

import (
	"encoding/json"
	"strconv"
)

// decodeFast is a one-pass scanner for the common shape of a GeoJSON
// FeatureCollection: Polygon and MultiPolygon features with 2-D
// coordinates. It fills p and reports ok; on anything else (other geometry
// types, 3-D coordinates, malformed JSON, a missing id) it reports !ok and
// the caller decodes the document with go-geom's encoding/geojson, which
// gives the canonical result or error. It exists for speed (figures in
// docs/performance.md, Geometry).
func decodeFast(data []byte, idProp string, filter Filter) (p *Polygons, ok bool) {
	s := scanner{b: data}
	p = NewPolygons()
	if !s.open('{') {
		return nil, false
	}
	sawType, sawFeatures := false, false
	for more := s.firstKey(); more; more = s.nextKey() {
		key, ok := s.key()
		if !ok {
			return nil, false
		}
		switch key {
		case "type":
			t, ok := s.str()
			if !ok || t != "FeatureCollection" {
				return nil, false
			}
			sawType = true
		case "features":
			if !s.open('[') {
				return nil, false
			}
			for more := s.firstElem(); more; more = s.nextElem() {
				if !s.feature(p, idProp, filter) {
					return nil, false
				}
			}
			sawFeatures = true
		default:
			if !s.skip() {
				return nil, false
			}
		}
	}
	s.ws()
	if s.err || !sawType || !sawFeatures || s.i != len(s.b) {
		return nil, false
	}
	return p, true
}

// feature scans one Feature object and adds it to p unless filtered out. A
// feature that breaks the input rules (rules.go) makes it report false, so
// the go-geom path names the problem.
func (s *scanner) feature(p *Polygons, idProp string, filter Filter) bool {
	if !s.open('{') {
		return false
	}
	var id, fv, fid string
	var haveID, haveF, haveFID, propsSeen, isFeature bool
	var parts [][][]float64
	geomType := ""
	for more := s.firstKey(); more; more = s.nextKey() {
		key, ok := s.key()
		if !ok {
			return false
		}
		switch key {
		case "type":
			t, ok := s.str()
			if !ok || t != "Feature" {
				return false
			}
			isFeature = true
		case "id":
			if fid, haveFID = s.scalar(); !haveFID {
				return false
			}
		case "properties":
			if !s.properties(idProp, filter.Key, &id, &haveID, &fv, &haveF) {
				return false
			}
			propsSeen = true
		case "geometry":
			if propsSeen && filter.Active() && !(haveF && filter.Match(fv)) {
				if !s.skip() { // filtered out: do not parse the coordinates
					return false
				}
				geomType = "skipped"
				continue
			}
			if geomType, parts, ok = s.geometry(); !ok {
				return false
			}
		default:
			if !s.skip() {
				return false
			}
		}
	}
	if s.err || !isFeature || geomType == "" {
		return false
	}
	if filter.Active() && !(haveF && filter.Match(fv)) {
		return true
	}
	if !haveID {
		if !haveFID {
			return false
		}
		id = fid
	}
	return geomType != "skipped" && checkParts(parts) == nil && p.Add(id, parts) == nil
}

// properties reads the id and filter properties, skipping the rest.
func (s *scanner) properties(idKey, fKey string, id *string, haveID *bool, fv *string, haveF *bool) bool {
	if s.peek() == 'n' {
		return s.literal("null")
	}
	if !s.open('{') {
		return false
	}
	for more := s.firstKey(); more; more = s.nextKey() {
		key, ok := s.key()
		if !ok {
			return false
		}
		switch {
		case key == idKey || key == fKey:
			v, ok := s.scalar()
			if !ok {
				return false
			}
			if key == idKey {
				*id, *haveID = v, true
			}
			if key == fKey {
				*fv, *haveF = v, true
			}
		default:
			if !s.skip() {
				return false
			}
		}
	}
	return !s.err
}

// geometry scans a Polygon or MultiPolygon object with 2-D coordinates.
func (s *scanner) geometry() (typ string, parts [][][]float64, ok bool) {
	if !s.open('{') {
		return "", nil, false
	}
	depth := 0
	var rings [][]float64 // Polygon: its rings
	for more := s.firstKey(); more; more = s.nextKey() {
		key, ok := s.key()
		if !ok {
			return "", nil, false
		}
		switch key {
		case "type":
			if typ, ok = s.str(); !ok || (typ != "Polygon" && typ != "MultiPolygon") {
				return "", nil, false
			}
		case "coordinates":
			depth = s.arrayDepth()
			switch depth {
			case 3:
				rings, ok = s.polygon()
			case 4:
				if !s.open('[') {
					return "", nil, false
				}
				for more := s.firstElem(); more && ok; more = s.nextElem() {
					var r [][]float64
					r, ok = s.polygon()
					parts = append(parts, r)
				}
			default:
				ok = false
			}
			if !ok {
				return "", nil, false
			}
		default:
			if !s.skip() {
				return "", nil, false
			}
		}
	}
	switch {
	case s.err:
		return "", nil, false
	case typ == "Polygon" && depth == 3:
		return typ, [][][]float64{rings}, true
	case typ == "MultiPolygon" && depth == 4 && len(parts) > 0:
		return typ, parts, true
	}
	return "", nil, false
}

// polygon scans [[[x,y],...],...] into rings of flat x,y pairs.
func (s *scanner) polygon() ([][]float64, bool) {
	if !s.open('[') {
		return nil, false
	}
	var rings [][]float64
	for more := s.firstElem(); more; more = s.nextElem() {
		if !s.open('[') {
			return nil, false
		}
		var ring []float64
		for more := s.firstElem(); more; more = s.nextElem() {
			if !s.open('[') {
				return nil, false
			}
			x, ok1 := s.number()
			ok2 := s.comma()
			y, ok3 := s.number()
			if !ok1 || !ok2 || !ok3 || !s.close(']') {
				return nil, false // not exactly two numbers: let go-geom decide
			}
			ring = append(ring, x, y)
		}
		rings = append(rings, ring)
	}
	return rings, !s.err && len(rings) > 0
}

// arrayDepth counts the '[' that open the value at the cursor before the
// first number, without moving the cursor.
func (s *scanner) arrayDepth() int {
	d := 0
	for j := s.i; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '[':
			d++
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
		default:
			return d
		}
	}
	return 0
}

// scalar reads a string, number or boolean as text (numbers as
// strconv.FormatFloat 'f', as propString does).
func (s *scanner) scalar() (string, bool) {
	switch c := s.peek(); {
	case c == '"':
		return s.str()
	case c == 't':
		return "true", s.literal("true")
	case c == 'f':
		return "false", s.literal("false")
	case c == '-' || (c >= '0' && c <= '9'):
		v, ok := s.number()
		return strconv.FormatFloat(v, 'f', -1, 64), ok
	}
	return "", false
}

// str reads a string; escapes are decoded by encoding/json.
func (s *scanner) str() (string, bool) {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return "", false
	}
	start := s.i
	esc := false
	for j := s.i + 1; j < len(s.b); j++ {
		switch s.b[j] {
		case '\\':
			esc = true
			j++
		case '"':
			s.i = j + 1
			if !esc {
				return string(s.b[start+1 : j]), true
			}
			var v string
			if json.Unmarshal(s.b[start:j+1], &v) != nil {
				return "", false
			}
			return v, true
		default:
			if s.b[j] < 0x20 {
				return "", false
			}
		}
	}
	return "", false
}
