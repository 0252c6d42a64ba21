package geo

import (
	"math"
	"strconv"
	"strings"
)

// AppendRepr appends v formatted as Python's repr(float) does: the shortest
// digits that round-trip, fixed notation for decimal exponents -4..15 with
// ".0" added to integral values, scientific otherwise ("1e-05", "1e+16").
// The reference CSVs were written this way (0 is "0.0", not "0").
func AppendRepr(dst []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "nan"...)
	case math.IsInf(v, 1):
		return append(dst, "inf"...)
	case math.IsInf(v, -1):
		return append(dst, "-inf"...)
	case v == 0:
		if math.Signbit(v) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	e := strconv.FormatFloat(v, 'e', -1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return append(dst, e...)
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, v, 'f', -1, 64)
	if strings.IndexByte(string(dst[start:]), '.') < 0 {
		dst = append(dst, ".0"...)
	}
	return dst
}
