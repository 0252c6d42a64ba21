package geo

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"
)

// TestTransverseMercatorGolden compares with PROJ 9.1.1 (pyproj) values in
// testdata/geo/tmerc_golden.csv, made by gen_tmerc.py.
func TestTransverseMercatorGolden(t *testing.T) {
	f, err := os.Open("../../testdata/geo/tmerc_golden.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var worst float64
	for _, row := range rows[1:] {
		var v [5]float64
		for i := range v {
			if v[i], err = strconv.ParseFloat(row[i], 64); err != nil {
				t.Fatal(err)
			}
		}
		tm, err := EPSGProjection(int(v[0]))
		if err != nil {
			t.Fatal(err)
		}
		x, y := tm.Forward(v[1], v[2])
		d := math.Hypot(x-v[3], y-v[4])
		worst = max(worst, d)
		if d > 1e-7 { // a few ulps of libm differences; PROJ vs Go
			t.Errorf("EPSG:%v (%v, %v): got (%v, %v), PROJ (%v, %v): off by %.3g m", v[0], v[1], v[2], x, y, v[3], v[4], d)
		}
	}
	t.Logf("%d points, worst difference from PROJ %.3g m", len(rows)-1, worst)
}

func TestParseCRS(t *testing.T) {
	cook := Bounds{-88.263, 41.469, -87.524, 42.154}
	tests := []struct {
		name, in string
		want     int
		wantErr  bool
	}{
		{"auto", "auto", 32616, false},
		{"empty", "", 32616, false},
		{"epsg", "EPSG:32618", 32618, false},
		{"bare", "26916", 26916, false},
		{"south", "epsg:32756", 32756, false},
		{"unsupported", "EPSG:3857", 0, true},
		{"garbage", "utm16", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseCRS(tt.in, cook)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseCRS(%q) error %v, want error %v", tt.in, err, tt.wantErr)
			}
			if err == nil && p.EPSG() != tt.want {
				t.Errorf("ParseCRS(%q) = EPSG:%d, want %d", tt.in, p.EPSG(), tt.want)
			}
		})
	}
	if got := UTMZone(Bounds{150, -34, 152, -33}); got != 32756 {
		t.Errorf("UTMZone(Sydney) = %d, want 32756", got)
	}
}
