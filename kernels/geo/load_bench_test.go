package geo

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// BenchmarkLoadGeoJSON decodes the 3.2 MB Illinois file, keeping Cook County.
func BenchmarkLoadGeoJSON(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(td, "il_2018.geojson"))
	if err != nil {
		b.Fatal(err)
	}
	f, _ := ParseFilter("COUNTYFP=031")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		p, err := DecodeGeoJSON(data, GeoJSONOptions{Filter: f})
		if err != nil || p.Len() != 1318 {
			b.Fatal(err, p.Len())
		}
	}
}

// TestDecodeFastMatchesGeom checks the one-pass scanner against the go-geom
// decoder on the real files, with and without a filter.
func TestDecodeFastMatchesGeom(t *testing.T) {
	cook, _ := ParseFilter("COUNTYFP=031,043")
	tests := []struct {
		file   string
		filter Filter
	}{
		{"il_2018.geojson", cook},
		{"dc_2018.geojson", Filter{}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.filter.Key, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(td, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			fast, ok := decodeFast(data, "GEOID", tt.filter)
			if !ok {
				t.Fatal("fast path declined a plain file")
			}
			slow, err := decodeGeom(data, "GEOID", tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fast, slow) {
				t.Errorf("fast and go-geom decodes differ (%d vs %d polygons)", fast.Len(), slow.Len())
			}
		})
	}
}

// TestDecodeFastDeclines lists inputs the scanner must leave to go-geom.
func TestDecodeFastDeclines(t *testing.T) {
	for name, doc := range map[string]string{
		"3d":           `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"GEOID":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0,1],[1,0,1],[1,1,1],[0,0,1]]]}}]}`,
		"point":        `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"GEOID":"a"},"geometry":{"type":"Point","coordinates":[0,0]}}]}`,
		"truncated":    `{"type":"FeatureCollection","features":[{"type":"Feature"`,
		"trailing":     `{"type":"FeatureCollection","features":[]} x`,
		"leading_zero": `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"GEOID":"a"},"geometry":{"type":"Polygon","coordinates":[[[-077.0,0],[1,0],[1,1],[-077.0,0]]]}}]}`,
		"plus":         `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"GEOID":+1},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`,
		"bare_point":   `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"GEOID":"a"},"geometry":{"type":"Polygon","coordinates":[[[.5,0],[1,0],[1,1],[.5,0]]]}}]}`,
		"unclosed":     `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"GEOID":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}]}`,
		"no_id":        `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`,
	} {
		if _, ok := decodeFast([]byte(doc), "GEOID", Filter{}); ok {
			t.Errorf("%s: fast path accepted it", name)
		}
	}
	// Escapes, numbers with exponents, keys in any order, extra members.
	doc := `{"bbox":[0,0,1,1],"features":[{"geometry":{"coordinates":[[[0,0],[1e0,0],[1,1.5E+0],[0,0]]],"type":"Polygon"},
		"properties":{"GEOID":"a\u00e9","n":[1,{"x":null}]},"type":"Feature"}],"type":"FeatureCollection"}`
	p, ok := decodeFast([]byte(doc), "GEOID", Filter{})
	if !ok || p.IDs[0] != "aé" || p.XY[5] != 1.5 {
		t.Errorf("ok %v, polygons %+v", ok, p)
	}
}
