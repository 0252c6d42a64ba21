package comm

import (
	"encoding/binary"
	"math"
	"strconv"
	"testing"
)

// TestCodecIntWidth: an int on the wire is 8 bytes on every host; one that
// does not fit this host's int (a 64-bit host's value received on a 32-bit
// one) is an error on every decoding path, never a truncated value.
func TestCodecIntWidth(t *testing.T) {
	big := int64(math.MaxInt32) + 1
	payload := binary.LittleEndian.AppendUint64(nil, uint64(big))
	fits := strconv.IntSize == 64

	var v int
	err := decodeValue(codecInt, payload, &v)
	if fits && (err != nil || int64(v) != big) {
		t.Errorf("decodeValue int %d: %d, %v", big, v, err)
	}
	if !fits && err == nil {
		t.Errorf("decodeValue int %d on a %d-bit host: %d, no error", big, strconv.IntSize, v)
	}

	var w int
	if ok := decodeRaw(codecInt, payload, &w); ok != fits {
		t.Errorf("decodeRaw int %d on a %d-bit host: ok %v, %d", big, strconv.IntSize, ok, w)
	}

	got, err := decodeAs[int](codecInt, payload)
	if fits && (err != nil || int64(got) != big) || !fits && err == nil {
		t.Errorf("decodeAs[int] %d on a %d-bit host: %d, %v", big, strconv.IntSize, got, err)
	}

	s, err := decodePortable[int](payload)
	if fits && (err != nil || len(s) != 1 || int64(s[0]) != big) || !fits && err == nil {
		t.Errorf("decodePortable[int] %d on a %d-bit host: %v, %v", big, strconv.IntSize, s, err)
	}

	minus7 := int64(-7)
	small := binary.LittleEndian.AppendUint64(nil, uint64(minus7))
	if err := decodeValue(codecInt, small, &v); err != nil || v != -7 {
		t.Errorf("decodeValue int -7: %d, %v", v, err)
	}
}
