package geo

import (
	"testing"
)

// cookBench is Cook County tracts x IL ZIP centroids, projected to UTM 16N.
func cookBench(b *testing.B) (*Polygons, *Points) {
	b.Helper()
	polys, pts, _ := projected(b, cookPolygons(b), loadPts(b, "zips_il.csv"), "auto")
	return polys, pts
}

// BenchmarkKthIndex is the whole Cook x IL x dup 100, k = 3 job on one core,
// index build included.
func BenchmarkKthIndex(b *testing.B) {
	polys, pts := cookBench(b)
	dst := make([]float64, polys.Len())
	b.ResetTimer()
	c0 := cpuTime()
	for b.Loop() {
		fac := NewFacilities(pts, 100)
		if err := KthIndex(dst, polys, 0, polys.Len(), fac, 3); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkKthBrute is the lecture's brute force over every 33rd Cook tract
// (40 of 1,318, a fair sample of sizes) x IL x dup 100: 40 x 159,000
// distances; cpu-ns/distance is the figure to compare.
func BenchmarkKthBrute(b *testing.B) {
	polys, pts := cookBench(b)
	var idx []int
	for i := 0; i < polys.Len(); i += 33 {
		idx = append(idx, i)
	}
	polys = polys.Subset(idx)
	fac := Repeat(pts, 100)
	dst := make([]float64, polys.Len())
	b.ResetTimer()
	c0 := cpuTime()
	for b.Loop() {
		if err := KthBrute(dst, polys, 0, polys.Len(), fac, 3); err != nil {
			b.Fatal(err)
		}
	}
	n := float64(b.N) * float64(polys.Len()*fac.Len())
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/distance")
	b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/n, "cpu-ns/distance")
}
