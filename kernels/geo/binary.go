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
	if err := d.end(); err != nil {
		return err
	}
	if err := q.validate(); err != nil {
		return err
	}
	*p = q
	return nil
}

// validate checks what Add guarantees: consistent offsets, every polygon
// with a part, every part with a ring, every ring closed with at least 4
// finite vertices, so no kernel indexes out of range on a decoded form.
func (p *Polygons) validate() error {
	bad := func(what string) error { return fmt.Errorf("geo: corrupt Polygons: %s", what) }
	if len(p.PolyPart) != len(p.IDs)+1 || len(p.PolyPart) == 0 || len(p.PartRing) == 0 || len(p.RingStart) == 0 {
		return bad("lengths")
	}
	// check: off starts at 0, ends at limit and steps by at least step.
	check := func(off []int32, limit int, step int32) bool {
		if off[0] != 0 || int(off[len(off)-1]) != limit {
			return false
		}
		for i := 1; i < len(off); i++ {
			if off[i]-off[i-1] < step || off[i] < off[i-1] {
				return false
			}
		}
		return true
	}
	if len(p.XY)%2 != 0 || !check(p.PolyPart, len(p.PartRing)-1, 1) || !check(p.PartRing, len(p.RingStart)-1, 1) || !check(p.RingStart, len(p.XY)/2, 4) {
		return bad("offsets")
	}
	for r := 0; r+1 < len(p.RingStart); r++ {
		first, last := 2*int(p.RingStart[r]), 2*int(p.RingStart[r+1])-2
		if p.XY[first] != p.XY[last] || p.XY[first+1] != p.XY[last+1] {
			return bad(fmt.Sprintf("ring %d not closed", r))
		}
	}
	for _, v := range p.XY {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return bad("non-finite coordinate")
		}
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
	if err := d.end(); err != nil {
		return err
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

// end reports the first error, or bytes left over after the last array.
func (d *decoder) end() error {
	if d.err == nil && len(d.b) > 0 {
		return fmt.Errorf("geo: binary form has %d bytes after its end", len(d.b))
	}
	return d.err
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
