package comm

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"

	"github.com/vmihailenco/msgpack/v5"
)

// msgpack has no complex numbers. comm registers two extension types for
// them, so that complex64 and complex128 travel as scalars, in slices and
// inside structs and maps: the real then the imaginary part, little-endian,
// each as wide as the type's float. The registration is process-wide, so
// other users of msgpack in the program encode complex numbers the same
// way.
const (
	extComplex64  int8 = 64
	extComplex128 int8 = 65
)

func init() {
	msgpack.RegisterExtEncoder(extComplex64, complex64(0), func(_ *msgpack.Encoder, v reflect.Value) ([]byte, error) {
		c := v.Complex()
		b := make([]byte, 8)
		binary.LittleEndian.PutUint32(b, math.Float32bits(float32(real(c))))
		binary.LittleEndian.PutUint32(b[4:], math.Float32bits(float32(imag(c))))
		return b, nil
	})
	msgpack.RegisterExtDecoder(extComplex64, complex64(0), func(d *msgpack.Decoder, v reflect.Value, n int) error {
		b, err := readExt(d, n, 8)
		if err != nil {
			return err
		}
		re := math.Float32frombits(binary.LittleEndian.Uint32(b))
		im := math.Float32frombits(binary.LittleEndian.Uint32(b[4:]))
		v.SetComplex(complex128(complex(re, im)))
		return nil
	})
	msgpack.RegisterExtEncoder(extComplex128, complex128(0), func(_ *msgpack.Encoder, v reflect.Value) ([]byte, error) {
		c := v.Complex()
		b := make([]byte, 16)
		binary.LittleEndian.PutUint64(b, math.Float64bits(real(c)))
		binary.LittleEndian.PutUint64(b[8:], math.Float64bits(imag(c)))
		return b, nil
	})
	msgpack.RegisterExtDecoder(extComplex128, complex128(0), func(d *msgpack.Decoder, v reflect.Value, n int) error {
		b, err := readExt(d, n, 16)
		if err != nil {
			return err
		}
		v.SetComplex(complex(math.Float64frombits(binary.LittleEndian.Uint64(b)),
			math.Float64frombits(binary.LittleEndian.Uint64(b[8:]))))
		return nil
	})
}

// readExt reads an extension body of exactly want bytes.
func readExt(d *msgpack.Decoder, n, want int) ([]byte, error) {
	if n != want {
		return nil, fmt.Errorf("comm: complex number of %d bytes, want %d", n, want)
	}
	b := make([]byte, n)
	return b, d.ReadFull(b)
}
