package geo_test

import (
	"fmt"

	"github.com/gorun-dev/gorun/kernels/geo"
)

// Two unit squares in metres and three facilities, one of them doubled:
// the 2nd nearest of square "a" is the doubled point 3 m away.
func ExampleKthIndex() {
	polys := geo.NewPolygons()
	_ = polys.Add("a", [][][]float64{{{0, 0, 1, 0, 1, 1, 0, 1}}})
	_ = polys.Add("b", [][][]float64{{{10, 0, 11, 0, 11, 1, 10, 1}}})
	pts := &geo.Points{XY: []float64{
		0.5, 0.5, // inside a
		4, 0.5, // 3 m right of a (twice)
		4, 0.5,
	}}
	dst := make([]float64, polys.Len())
	if err := geo.KthIndex(dst, polys, 0, polys.Len(), geo.NewFacilities(pts, 1), 2); err != nil {
		panic(err)
	}
	for i, d := range dst {
		fmt.Printf("%s,%g\n", polys.IDs[i], d)
	}
	// Output:
	// a,3
	// b,6
}

// Points on a shared edge go to the first polygon in file order.
func ExamplePIPIndex() {
	polys := geo.NewPolygons()
	_ = polys.Add("west", [][][]float64{{{0, 0, 1, 0, 1, 1, 0, 1}}})
	_ = polys.Add("east", [][][]float64{{{1, 0, 2, 0, 2, 1, 1, 1}}})
	ix := geo.NewPIPIndex(polys)
	for _, p := range [][2]float64{{0.5, 0.5}, {1, 0.5}, {1.5, 0.5}, {3, 3}} {
		fmt.Println(p, ix.Find(p[0], p[1]))
	}
	// Output:
	// [0.5 0.5] 0
	// [1 0.5] 0
	// [1.5 0.5] 1
	// [3 3] -1
}

func ExampleParseCRS() {
	cook := geo.Bounds{MinX: -88.26, MinY: 41.47, MaxX: -87.52, MaxY: 42.15}
	p, _ := geo.ParseCRS("auto", cook)
	x, y := p.Forward(-87, 0)
	fmt.Printf("EPSG:%d %.3f %.3f\n", p.EPSG(), x, y)
	// Output: EPSG:32616 500000.000 0.000
}
