package geo

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const square = `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}`

func TestLoadGeoJSONErrors(t *testing.T) {
	tests := []struct {
		name, content string
		want          []string // substrings of the error
	}{
		{"malformed", "{\"type\":\"FeatureCollection\",\n\"features\":[\n{\"type\":", []string{"t.geojson", "line 3", "malformed"}},
		{"not_collection", `{"type":"Feature"}`, []string{"t.geojson", "not a FeatureCollection"}},
		{"point", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"GEOID":"a"},"geometry":` + square + `},
{"type":"Feature","properties":{"GEOID":"b"},"geometry":{"type":"Point","coordinates":[1,2]}}]}`,
			[]string{"t.geojson", "feature 1", "GEOID b", "unsupported geometry Point"}},
		{"no_id", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":` + square + `}]}`,
			[]string{"feature 0", `no "GEOID" property`}},
		{"short_ring", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"GEOID":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}]}`,
			[]string{"feature 0", "ring 0"}},
		{"null_geometry", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"GEOID":"a"},"geometry":null}]}`,
			[]string{"feature 0", "no geometry"}},
		{"leading_zero", fc(`{"type":"Polygon","coordinates":[[[-077.0,0],[1,0],[1,1],[-077.0,0]]]}`), []string{"t.geojson", "line 1", "malformed JSON"}},
		{"lon_200", fc(`{"type":"Polygon","coordinates":[[[0,0],[200,0],[1,1],[0,0]]]}`), []string{"t.geojson", "feature 0 (GEOID a)", "ring 0 position 1", "longitude 200 outside [-180, 180]"}},
		{"lat_95", fc(`{"type":"Polygon","coordinates":[[[0,0],[1,95],[1,1],[0,0]]]}`), []string{"feature 0 (GEOID a)", "latitude 95 outside [-90, 90]"}},
		{"huge", fc(`{"type":"Polygon","coordinates":[[[0,0],[1e300,0],[1,1],[0,0]]]}`), []string{"feature 0 (GEOID a)", "longitude 1e+300 outside"}},
		{"unclosed", fc(`{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}`), []string{"feature 0 (GEOID a)", "ring 0: not closed"}},
		{"unclosed_3d", fc(`{"type":"Polygon","coordinates":[[[0,0,1],[1,0,1],[1,1,1],[0,1,1]]]}`), []string{"feature 0 (GEOID a)", "ring 0: not closed"}},
		{"4d", fc(`{"type":"Polygon","coordinates":[[[0,0,1,2],[1,0,1,2],[1,1,1,2],[0,0,1,2]]]}`), []string{"feature 0 (GEOID a)", "positions of 4 numbers"}},
		{"invalid_utf8", "{\"type\":\"FeatureCollection\",\n\"features\":[{\"type\":\"Feature\",\"properties\":{\"GEOID\":\"\xff\"}}]}",
			[]string{"t.geojson", "line 2", "invalid UTF-8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadGeoJSON(writeFile(t, "t.geojson", tt.content), GeoJSONOptions{})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		_, err := LoadGeoJSON(filepath.Join(t.TempDir(), "nope.geojson"), GeoJSONOptions{})
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "nope.geojson") {
			t.Errorf("error %v, want a not-exist error naming the file", err)
		}
	})
}

// fc is a FeatureCollection of one feature, GEOID a, with geometry g.
func fc(g string) string {
	return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"GEOID":"a"},"geometry":` + g + `}]}`
}

// TestInputRulesAgree checks that both GeoJSON decoders and the CSV reader
// apply the same rules (rules.go) to the same coordinates.
func TestInputRulesAgree(t *testing.T) {
	bom := "\xef\xbb\xbf"
	for _, tt := range []struct {
		name, geojson, csv string
		ok                 bool
	}{
		{"plain", fc(square), "id,lat,lon\na,1,0\n", true},
		{"edges", fc(`{"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,-90]]]}`), "id,lat,lon\na,-90,180\n", true},
		{"bom", bom + fc(square), bom + "id,lat,lon\na,1,0\n", true},
		{"lon_200", fc(`{"type":"Polygon","coordinates":[[[0,0],[200,0],[1,1],[0,0]]]}`), "id,lat,lon\na,0,200\n", false},
		{"lat_95", fc(`{"type":"Polygon","coordinates":[[[0,0],[1,95],[1,1],[0,0]]]}`), "id,lat,lon\na,95,1\n", false},
		{"lat_minus_95", fc(`{"type":"Polygon","coordinates":[[[0,0],[1,-95],[1,1],[0,0]]]}`), "id,lat,lon\na,-95,1\n", false},
		{"huge", fc(`{"type":"Polygon","coordinates":[[[0,0],[1e300,0],[1,1],[0,0]]]}`), "id,lat,lon\na,0,1e300\n", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.geojson)
			_, fastOK := decodeFast(trimBOM(data), "GEOID", Filter{})
			_, geomErr := decodeGeom(trimBOM(data), "GEOID", Filter{})
			_, loadErr := DecodeGeoJSON(data, GeoJSONOptions{})
			_, _, csvErr := LoadPoints(writeFile(t, "p.csv", tt.csv), PointOptions{ID: "id"})
			if fastOK != tt.ok || (geomErr == nil) != tt.ok || (loadErr == nil) != tt.ok || (csvErr == nil) != tt.ok {
				t.Errorf("want ok=%v: fast path ok=%v, go-geom error %v, DecodeGeoJSON error %v, CSV error %v",
					tt.ok, fastOK, geomErr, loadErr, csvErr)
			}
		})
	}
}

func TestLoadGeoJSONFilterAndLayout(t *testing.T) {
	content := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"GEOID":"a","COUNTYFP":"031"},"geometry":` + square + `},
{"type":"Feature","properties":{"GEOID":"b","COUNTYFP":"043"},"geometry":` + square + `},
{"type":"Feature","id":7,"properties":{"COUNTYFP":"031"},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0,5],[2,0,5],[2,2,5],[0,0,5]]],[[[5,5,1],[6,5,1],[6,6,1],[5,5,1]]]]}}]}`
	path := writeFile(t, "t.geojson", content)
	f, err := ParseFilter("COUNTYFP=031")
	if err != nil {
		t.Fatal(err)
	}
	p, err := LoadGeoJSON(path, GeoJSONOptions{Filter: f})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.IDs, []string{"a", "7"}) {
		t.Fatalf("IDs %v, want [a 7]", p.IDs)
	}
	// The 3-D MultiPolygon keeps x,y only.
	want := []float64{0, 0, 2, 0, 2, 2, 0, 0, 5, 5, 6, 5, 6, 6, 5, 5}
	r0, r1 := p.Rings(1)
	if got := p.XY[2*p.RingStart[r0] : 2*p.RingStart[r1]]; !reflect.DeepEqual(got, want) {
		t.Errorf("multipolygon coordinates %v, want %v", got, want)
	}
}

func TestLoadPoints(t *testing.T) {
	path := writeFile(t, "z.csv", "zip,city,Lat,LNG,state\n001,A,41.5,-87.5,IL\n002,B,38.9,-77.0,DC\r\n003,\"X, Y\",40,-88,IL\n")
	f, _ := ParseFilter("state=IL")
	p, h, err := LoadPoints(path, PointOptions{Filter: f})
	if err != nil {
		t.Fatal(err)
	}
	if h.IDName() != "zip" || !reflect.DeepEqual(p.IDs, []string{"001", "003"}) {
		t.Errorf("id column %q, ids %v", h.IDName(), p.IDs)
	}
	if want := []float64{-87.5, 41.5, -88, 40}; !reflect.DeepEqual(p.XY, want) {
		t.Errorf("XY %v, want %v", p.XY, want)
	}
	// Byte ranges split anywhere read every row once, in order.
	st, _ := os.Stat(path)
	all, _, _ := LoadPoints(path, PointOptions{})
	for cut := int64(0); cut <= st.Size(); cut++ {
		a, err1 := ReadPointsRange(path, h0(t, path), 0, cut)
		b, err2 := ReadPointsRange(path, h0(t, path), cut, st.Size())
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		a.Append(b)
		if !reflect.DeepEqual(a.IDs, all.IDs) {
			t.Fatalf("cut at %d: ids %v, want %v", cut, a.IDs, all.IDs)
		}
	}
}

func h0(t *testing.T, path string) *CSVHeader {
	h, err := ReadCSVHeader(path, PointOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestLoadPointsErrors(t *testing.T) {
	tests := []struct {
		name, content string
		opt           PointOptions
		want          []string
	}{
		{"non_numeric", "id,latitude,longitude\n1,41,-87\n2,abc,-87\n", PointOptions{}, []string{"p.csv", "line 3", "column 2 (latitude)", `"abc"`}},
		{"out_of_range", "id,lat,lon\n1,141,-87\n", PointOptions{}, []string{"line 2", "column 2 (lat)"}},
		{"lon_200", "id,lat,lon\n1,41,-87\n2,41,200\n", PointOptions{}, []string{"line 3", "column 3 (lon)", `"200"`}},
		{"field_count", "id,lat,lon\n1,41\n", PointOptions{}, []string{"line 2", "2 fields"}},
		{"no_lat", "id,north,lon\n1,41,-87\n", PointOptions{}, []string{"line 1", "no latitude column"}},
		{"no_id_column", "id,lat,lon\n1,41,-87\n", PointOptions{ID: "zip"}, []string{"line 1", "no id column"}},
		{"invalid_utf8", "id,lat,lon\n1,41,-87\n\xfe,41,-87\n", PointOptions{}, []string{"line 3", "invalid UTF-8"}},
		{"empty", "", PointOptions{}, []string{"p.csv", "empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := LoadPoints(writeFile(t, "p.csv", tt.content), tt.opt)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestBinaryRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	polys := SynthPolygons(rng, 50, Bounds{-88, 41, -87, 42}, true)
	b, err := polys.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var got Polygons
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, polys) {
		t.Error("Polygons round trip differs")
	}
	if err := got.UnmarshalBinary(b[:len(b)-3]); err == nil {
		t.Error("truncated Polygons decoded without error")
	}
	for _, pts := range []*Points{SynthPoints(rng, 20, Bounds{0, 0, 1, 1}), {XY: []float64{1, 2}}} {
		pb, _ := pts.MarshalBinary()
		var q Points
		if err := q.UnmarshalBinary(pb); err != nil || !reflect.DeepEqual(&q, pts) {
			t.Errorf("Points round trip: %v, equal %v", err, reflect.DeepEqual(&q, pts))
		}
	}
}
