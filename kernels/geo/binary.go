package geo

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Binary forms: a 4-byte magic, then little-endian arrays, each preceded by
// its uint64 length. Strings are a uint32 length and the bytes. Decoding is
// a straight copy, far cheaper than GeoJSON, so one rank can decode the
// input and broadcast these bytes.
const (
	polygonsMagic = "GPL1"
	pointsMagic   = "GPT1"
)

var errShort = errors.New("geo: binary form truncated")

// MarshalBinary encodes p.
func (p *Polygons) MarshalBinary() ([]byte, error) {
	n := 4 + 5*8 + 4*(len(p.PolyPart)+len(p.PartRing)+len(p.RingStart)) + 8*len(p.XY)
	for _, id := range p.IDs {
		n += 4 + len(id)
	}
	b := make([]byte, 0, n)
	b = append(b, polygonsMagic...)
	b = appendStrings(b, p.IDs)
	b = appendInt32s(b, p.PolyPart)
	b = appendInt32s(b, p.PartRing)
	b = appendInt32s(b, p.RingStart)
	b = appendFloats(b, p.XY)
	return b, nil
}

// UnmarshalBinary decodes what MarshalBinary made and checks its structure.
func (p *Polygons) UnmarshalBinary(b []byte) error {
	if len(b) < 4 || string(b[:4]) != polygonsMagic {
		return errors.New("geo: not a Polygons binary form")
	}
	d := decoder{b: b[4:]}
	q := Polygons{IDs: d.strings(), PolyPart: d.int32s(), PartRing: d.int32s(), RingStart: d.int32s(), XY: d.floats()}
	if d.err != nil {
		return d.err
	}
	if err := q.validate(); err != nil {
		return err
	}
	*p = q
	return nil
}

// validate checks that the offset arrays are consistent.
func (p *Polygons) validate() error {
	bad := func(what string) error { return fmt.Errorf("geo: corrupt Polygons: %s", what) }
	if len(p.PolyPart) != len(p.IDs)+1 || len(p.PolyPart) == 0 || len(p.PartRing) == 0 || len(p.RingStart) == 0 {
		return bad("lengths")
	}
	check := func(off []int32, limit int) bool {
		if off[0] != 0 || int(off[len(off)-1]) != limit {
			return false
		}
		for i := 1; i < len(off); i++ {
			if off[i] < off[i-1] {
				return false
			}
		}
		return true
	}
	if !check(p.PolyPart, len(p.PartRing)-1) || !check(p.PartRing, len(p.RingStart)-1) || !check(p.RingStart, len(p.XY)/2) || len(p.XY)%2 != 0 {
		return bad("offsets")
	}
	return nil
}

// MarshalBinary encodes p.
func (p *Points) MarshalBinary() ([]byte, error) {
	b := append(make([]byte, 0, 4+16+8*len(p.XY)), pointsMagic...)
	b = appendStrings(b, p.IDs)
	return appendFloats(b, p.XY), nil
}

// UnmarshalBinary decodes what MarshalBinary made.
func (p *Points) UnmarshalBinary(b []byte) error {
	if len(b) < 4 || string(b[:4]) != pointsMagic {
		return errors.New("geo: not a Points binary form")
	}
	d := decoder{b: b[4:]}
	q := Points{IDs: d.strings(), XY: d.floats()}
	if d.err != nil {
		return d.err
	}
	if len(q.IDs) == 0 {
		q.IDs = nil
	}
	if len(q.XY)%2 != 0 || (q.IDs != nil && len(q.IDs) != len(q.XY)/2) {
		return errors.New("geo: corrupt Points")
	}
	*p = q
	return nil
}

func appendStrings(b []byte, s []string) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(len(s)))
	for _, x := range s {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(x)))
		b = append(b, x...)
	}
	return b
}

func appendInt32s(b []byte, v []int32) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(len(v)))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, uint32(x))
	}
	return b
}

func appendFloats(b []byte, v []float64) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(len(v)))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return b
}

// decoder reads the arrays back; the first error sticks.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) count(size int) int {
	if d.err != nil || len(d.b) < 8 {
		d.err = errShort
		return 0
	}
	n := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	if n > uint64(len(d.b)/size) {
		d.err = errShort
		return 0
	}
	return int(n)
}

func (d *decoder) strings() []string {
	n := d.count(4)
	if d.err != nil {
		return nil
	}
	s := make([]string, n)
	for i := range s {
		if len(d.b) < 4 {
			d.err = errShort
			return nil
		}
		l := int(binary.LittleEndian.Uint32(d.b))
		if len(d.b)-4 < l {
			d.err = errShort
			return nil
		}
		s[i] = string(d.b[4 : 4+l])
		d.b = d.b[4+l:]
	}
	return s
}

func (d *decoder) int32s() []int32 {
	n := d.count(4)
	if d.err != nil {
		return nil
	}
	v := make([]int32, n)
	for i := range v {
		v[i] = int32(binary.LittleEndian.Uint32(d.b[4*i:]))
	}
	d.b = d.b[4*n:]
	return v
}

func (d *decoder) floats() []float64 {
	n := d.count(8)
	if d.err != nil {
		return nil
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(d.b[8*i:]))
	}
	d.b = d.b[8*n:]
	return v
}
