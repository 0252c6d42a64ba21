package geo

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/twpayne/go-geom/encoding/geojson"
)

// plainJSONError says in GeoJSON's terms what encoding/json and go-geom
// say in Go's ("cannot unmarshal number into Go struct field
// geojsonFeature.properties of type map[string]interface {}", "geojson:
// unsupported type: "): which member holds what JSON kind where another
// was wanted, or which geometry type is missing or not supported. Other
// errors are returned as they are.
func plainJSONError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		got, want := withArticle(te.Value), jsonKind(te.Type)
		if field := strings.TrimPrefix(te.Field, "."); field != "" {
			return fmt.Errorf("%q is %s, want %s", field, got, want)
		}
		return fmt.Errorf("found %s where %s belongs", got, want)
	}
	var ut geojson.ErrUnsupportedType
	if errors.As(err, &ut) {
		if ut == "" {
			return errors.New(`a geometry without a "type" (want Polygon or MultiPolygon)`)
		}
		return fmt.Errorf("unsupported geometry %q (want Polygon or MultiPolygon)", string(ut))
	}
	return err
}

// jsonKind names the JSON kind that decodes into t.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return jsonKind(t.Elem())
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Float32, reflect.Float64, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a number"
	}
	return "another kind of value"
}

// withArticle is "a number", "an array", "an object" for encoding/json's
// name of a JSON kind.
func withArticle(kind string) string {
	if kind != "" && strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}
