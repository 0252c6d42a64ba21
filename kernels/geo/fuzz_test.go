package geo

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"
)

// FuzzGeoJSONFastVsGeom checks that the one-pass scanner never accepts a
// document the go-geom path rejects or reads differently: on any input the
// two agree, or the scanner declines and the go-geom result stands.
func FuzzGeoJSONFastVsGeom(f *testing.F) {
	for _, doc := range []string{
		fc(square),
		fc(`{"type":"MultiPolygon","coordinates":[[[[0,0],[2,0],[2,2],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]],[[5.1,5.1],[5.2,5.1],[5.2,5.2],[5.1,5.1]]]]}`),
		fc(`{"type":"Polygon","coordinates":[[[-77.0,38.9],[-77.01,38.9],[-77.01,38.91],[-77.0,38.9]]]}`),
		`{"type":"FeatureCollection","features":[{"type":"Feature","id":7,"properties":{"COUNTYFP":"031"},"geometry":` + square + `}]}`,
		`{"bbox":[0,0,1,1],"features":[{"geometry":{"coordinates":[[[0,0],[1e0,0],[1,1.5E+0],[0,0]]],"type":"Polygon"},"properties":{"GEOID":"a\u00e9","n":[1,{"x":null}]},"type":"Feature"}],"type":"FeatureCollection"}`,
	} {
		f.Add([]byte(doc))
	}
	filter, _ := ParseFilter("COUNTYFP=031")
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = DecodeGeoJSON(data, GeoJSONOptions{}) // never panics
		if !utf8.Valid(data) {
			return
		}
		data = trimBOM(data)
		for _, fl := range []Filter{{}, filter} {
			fast, ok := decodeFast(data, "GEOID", fl)
			if !ok {
				continue
			}
			slow, err := decodeGeom(data, "GEOID", fl)
			if err != nil {
				t.Fatalf("filter %q: the scanner accepted what go-geom rejects: %v", fl.Key, err)
			}
			if !reflect.DeepEqual(fast, slow) {
				t.Fatalf("filter %q: scanner read %+v, go-geom %+v", fl.Key, fast, slow)
			}
		}
	})
}

// FuzzLoadPoints checks the CSV reader on arbitrary files: no panic, every
// point it returns within range, and any split into two byte ranges reads
// the same rows.
func FuzzLoadPoints(f *testing.F) {
	f.Add([]byte("zip,city,Lat,LNG,state\n001,A,41.5,-87.5,IL\n002,B,38.9,-77.0,DC\r\n003,\"X, Y\",40,-88,IL\n"), uint16(20))
	f.Add([]byte("\xef\xbb\xbfid,lat,lon\na,1,2\n\nb,-90,180\n"), uint16(7))
	f.Add([]byte("id,lat,lon\n1,141,-87\n"), uint16(3))
	path := filepath.Join(f.TempDir(), "p.csv")
	f.Fuzz(func(t *testing.T, data []byte, cut uint16) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		all, h, err := LoadPoints(path, PointOptions{})
		if err != nil {
			return
		}
		if len(all.IDs) != all.Len() {
			t.Fatalf("%d ids for %d points", len(all.IDs), all.Len())
		}
		for i := 0; i < len(all.XY); i += 2 {
			if checkLonLat(all.XY[i], all.XY[i+1]) != nil {
				t.Fatalf("point %d out of range: %v", i/2, all.XY[i:i+2])
			}
		}
		c := int64(cut) % (int64(len(data)) + 1)
		a, err1 := ReadPointsRange(path, h, 0, c)
		b, err2 := ReadPointsRange(path, h, c, int64(len(data)))
		if err1 != nil || err2 != nil {
			t.Fatalf("whole file read, split at %d: %v, %v", c, err1, err2)
		}
		a.Append(b)
		if !reflect.DeepEqual(a.IDs, all.IDs) || !equalFloats(a.XY, all.XY) {
			t.Fatalf("split at %d reads %v, whole file %v", c, a.IDs, all.IDs)
		}
	})
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// FuzzPolygonsBinary checks UnmarshalBinary on arbitrary bytes: no panic or
// outsized allocation, and what it accepts re-encodes to the same bytes and
// is safe to compute on.
func FuzzPolygonsBinary(f *testing.F) {
	p := NewPolygons()
	_ = p.Add("a", [][][]float64{{{0, 0, 1, 0, 1, 1, 0, 0}}})
	_ = p.Add("b", [][][]float64{{{0, 0, 2, 0, 2, 2, 0, 0}, {0.5, 0.5, 1, 0.5, 1, 1, 0.5, 0.5}}, {{5, 5, 6, 5, 6, 6, 5, 5}}})
	for _, q := range []*Polygons{NewPolygons(), p} {
		b, _ := q.MarshalBinary()
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var q Polygons
		if q.UnmarshalBinary(data) != nil {
			return
		}
		b, _ := q.MarshalBinary()
		if !bytes.Equal(b, data) {
			t.Fatalf("accepted %x, re-encodes as %x", data, b)
		}
		for i := 0; i < q.Len(); i++ {
			_ = q.Bounds(i)
			_ = q.Distance(i, 0.5, 0.5)
		}
		NewPIPIndex(&q).Find(0.5, 0.5)
	})
}

// FuzzPointsBinary is FuzzPolygonsBinary for Points.
func FuzzPointsBinary(f *testing.F) {
	for _, p := range []*Points{{}, {XY: []float64{1, 2}}, {IDs: []string{"a", "bc"}, XY: []float64{1, 2, 3, 4}}} {
		b, _ := p.MarshalBinary()
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var q Points
		if q.UnmarshalBinary(data) != nil {
			return
		}
		b, _ := q.MarshalBinary()
		if !bytes.Equal(b, data) {
			t.Fatalf("accepted %x, re-encodes as %x", data, b)
		}
	})
}
