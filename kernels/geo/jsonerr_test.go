package geo

import (
	"strings"
	"testing"
)

// Errors about a malformed GeoJSON say what member holds what where
// something else was wanted, in JSON's words: no Go type names, and no
// empty geometry type.
func TestGeoJSONErrorsInJSONTerms(t *testing.T) {
	feature := func(f string) string { return `{"type":"FeatureCollection","features":[` + f + `]}` }
	tests := []struct{ name, data, want string }{
		{"features not an array", `{"type":"FeatureCollection","features":5}`, `"features" is a number, want an array`},
		{"not an object", `[1]`, "found an array where an object belongs"},
		{"properties a number", feature(`{"type":"Feature","properties":5,"geometry":null}`), `"properties" is a number, want an object`},
		{"geometry a number", feature(`{"type":"Feature","properties":{"GEOID":"1"},"geometry":5}`), `"geometry" is a number, want an object`},
		{"coordinates a string", feature(`{"type":"Feature","properties":{"GEOID":"1"},"geometry":{"type":"Polygon","coordinates":"x"}}`), "found a string where an array belongs"},
		{"empty geometry type", feature(`{"type":"Feature","properties":{"GEOID":"1"},"geometry":{"type":"","coordinates":[]}}`), `a geometry without a "type"`},
		{"missing geometry type", feature(`{"type":"Feature","properties":{"GEOID":"1"},"geometry":{"coordinates":[]}}`), `a geometry without a "type"`},
		{"unknown geometry type", feature(`{"type":"Feature","properties":{"GEOID":"1"},"geometry":{"type":"Foo","coordinates":[]}}`), `unsupported geometry "Foo"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeGeoJSON([]byte(tt.data), GeoJSONOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			for _, goism := range []string{"Go ", "interface", "geom.", "json.", "geojson.", "struct", "type: \n", "type: )"} {
				if strings.Contains(err.Error(), goism) {
					t.Errorf("error %q shows Go's %q", err, goism)
				}
			}
		})
	}
}
