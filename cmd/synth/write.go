package main

import (
	"bufio"
	"io"
	"strconv"

	"github.com/gorun-dev/gorun/kernels/geo"
)

// coordDigits is the number of decimals written: 1e-7 degrees is about 1 cm.
const coordDigits = 7

// writeGeoJSON writes p as a FeatureCollection of Polygon (or, for a
// polygon of several parts, MultiPolygon) features with a GEOID property.
func writeGeoJSON(w io.Writer, p *geo.Polygons) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(`{"type":"FeatureCollection","features":[`)
	var b []byte
	for i := range p.Len() {
		b = b[:0]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n"+`{"type":"Feature","properties":{"GEOID":`...)
		b = strconv.AppendQuote(b, p.IDs[i])
		parts := p.PolyPart[i+1] - p.PolyPart[i]
		if parts == 1 {
			b = append(b, `},"geometry":{"type":"Polygon","coordinates":`...)
		} else {
			b = append(b, `},"geometry":{"type":"MultiPolygon","coordinates":[`...)
		}
		for j := p.PolyPart[i]; j < p.PolyPart[i+1]; j++ {
			if j > p.PolyPart[i] {
				b = append(b, ',')
			}
			b = appendPart(b, p, j)
		}
		if parts != 1 {
			b = append(b, ']')
		}
		b = append(b, "}}"...)
		bw.Write(b)
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

// appendPart appends part j's rings, shell first, as [[[x,y],...],...].
func appendPart(b []byte, p *geo.Polygons, j int32) []byte {
	b = append(b, '[')
	for r := p.PartRing[j]; r < p.PartRing[j+1]; r++ {
		if r > p.PartRing[j] {
			b = append(b, ',')
		}
		b = append(b, '[')
		for v := p.RingStart[r]; v < p.RingStart[r+1]; v++ {
			if v > p.RingStart[r] {
				b = append(b, ',')
			}
			b = append(b, '[')
			b = strconv.AppendFloat(b, p.XY[2*v], 'f', coordDigits, 64)
			b = append(b, ',')
			b = strconv.AppendFloat(b, p.XY[2*v+1], 'f', coordDigits, 64)
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	return append(b, ']')
}

// writePointsCSV writes "id,latitude,longitude" rows.
func writePointsCSV(w io.Writer, pts *geo.Points) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("id,latitude,longitude\n")
	var b []byte
	for i := range pts.Len() {
		b = append(b[:0], pts.IDs[i]...)
		b = append(b, ',')
		b = strconv.AppendFloat(b, pts.XY[2*i+1], 'f', coordDigits, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, pts.XY[2*i], 'f', coordDigits, 64)
		b = append(b, '\n')
		bw.Write(b)
	}
	return bw.Flush()
}
