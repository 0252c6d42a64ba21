package comm

import (
	"bytes"
	"reflect"
	"testing"
)

// TestCodecGolden pins the wire bytes of every numeric kind: little-endian,
// int as 8 bytes, on every platform; and checks that the portable
// (element-by-element) encoding, used on big-endian or 32-bit hosts, gives
// the same bytes and decodes them back.
func TestCodecGolden(t *testing.T) {
	tests := []struct {
		name  string
		v     any
		codec uint8
		wire  string
	}{
		{"[]float64", []float64{1.5, -2}, codecF64s, "\x00\x00\x00\x00\x00\x00\xf8\x3f\x00\x00\x00\x00\x00\x00\x00\xc0"},
		{"[]float32", []float32{1.5, -2}, codecF32s, "\x00\x00\xc0\x3f\x00\x00\x00\xc0"},
		{"[]int64", []int64{1, -2}, codecI64s, "\x01\x00\x00\x00\x00\x00\x00\x00\xfe\xff\xff\xff\xff\xff\xff\xff"},
		{"[]int32", []int32{1, -2}, codecI32s, "\x01\x00\x00\x00\xfe\xff\xff\xff"},
		{"[]int", []int{1, -2}, codecInts, "\x01\x00\x00\x00\x00\x00\x00\x00\xfe\xff\xff\xff\xff\xff\xff\xff"},
		{"[]uint64", []uint64{1, 1 << 63}, codecU64s, "\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"},
		{"[]uint32", []uint32{1, 1 << 31}, codecU32s, "\x01\x00\x00\x00\x00\x00\x00\x80"},
		{"float64", 1.5, codecF64, "\x00\x00\x00\x00\x00\x00\xf8\x3f"},
		{"int64", int64(-2), codecI64, "\xfe\xff\xff\xff\xff\xff\xff\xff"},
		{"int", -2, codecInt, "\xfe\xff\xff\xff\xff\xff\xff\xff"},
		{"uint64", uint64(1 << 63), codecU64, "\x00\x00\x00\x00\x00\x00\x00\x80"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			codec, b, err := encodeValue(tt.v)
			if err != nil || codec != tt.codec || string(b) != tt.wire {
				t.Errorf("encodeValue(%v) = %s %x, %v; want %s %x", tt.v, codecName(codec), b, err, codecName(tt.codec), tt.wire)
			}
			ptr := reflect.New(reflect.TypeOf(tt.v))
			if err := decodeValue(tt.codec, []byte(tt.wire), ptr.Interface()); err != nil || !reflect.DeepEqual(ptr.Elem().Interface(), tt.v) {
				t.Errorf("decodeValue(%x) = %v, %v; want %v", tt.wire, ptr.Elem().Interface(), err, tt.v)
			}
		})
	}
	for _, tt := range tests[:7] {
		var got []byte
		var back any
		var err error
		switch x := tt.v.(type) {
		case []float64:
			got = encodePortable(x)
			back, err = decodePortable[float64](got)
		case []float32:
			got = encodePortable(x)
			back, err = decodePortable[float32](got)
		case []int64:
			got = encodePortable(x)
			back, err = decodePortable[int64](got)
		case []int32:
			got = encodePortable(x)
			back, err = decodePortable[int32](got)
		case []int:
			got = encodePortable(x)
			back, err = decodePortable[int](got)
		case []uint64:
			got = encodePortable(x)
			back, err = decodePortable[uint64](got)
		case []uint32:
			got = encodePortable(x)
			back, err = decodePortable[uint32](got)
		}
		if !bytes.Equal(got, []byte(tt.wire)) || err != nil || !reflect.DeepEqual(back, tt.v) {
			t.Errorf("portable %s: %x, back %v, %v; want %x", tt.name, got, back, err, tt.wire)
		}
	}
	if _, err := decodePortable[float64](make([]byte, 7)); err == nil {
		t.Error("portable decode of 7 bytes into []float64: no error")
	}
}
