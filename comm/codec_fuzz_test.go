package comm

import (
	"runtime"
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

// TestDecodeBoundsAllocation: a few bytes announcing a huge container or
// string, or nesting without end, are an error, not gigabytes or a stack
// overflow.
func TestDecodeBoundsAllocation(t *testing.T) {
	deep := make([]byte, 200000)
	for i := range deep {
		deep[i] = 0x91 // an array of one element, nested
	}
	for name, payload := range map[string][]byte{
		"array32":    {0xdd, 0x7f, 0xff, 0xff, 0xff, 0x00},
		"map32":      {0xdf, 0x7f, 0xff, 0xff, 0xff, 0xa1, 'a', 0x00},
		"str32":      {0xdb, 0xff, 0xff, 0xff, 0xff, 'x'},
		"bin32":      {0xc6, 0xff, 0xff, 0xff, 0xff, 'x'},
		"ext32":      {0xc9, 0xff, 0xff, 0xff, 0xfe, 0x01},
		"nested":     {0x91, 0xdd, 0x7f, 0xff, 0xff, 0xff},
		"deep":       deep,
		"truncated":  {0x92, 0x01},
		"bad_header": {0xc1},
	} {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			var v any
			err := decodeValue(codecMsgpack, payload, &v)
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatalf("decoded %x into %v", payload, v)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
				t.Errorf("allocated %d MiB decoding %d bytes", grew>>20, len(payload))
			}
		})
	}
}

// FuzzDecodeValue feeds arbitrary payloads, with every codec, into a
// receive of any and of typed values: no panic, no allocation beyond a
// small multiple of the payload, and checkMsgpack never rejects what
// msgpack itself encoded.
func FuzzDecodeValue(f *testing.F) {
	for _, v := range []any{nil, 1, "s", []any{1, "a", []byte{2}}, map[string]any{"k": []float64{1.5}}, struct{ A, B int }{1, 2}} {
		b, _ := msgpack.Marshal(v)
		f.Add(codecMsgpack, b)
	}
	f.Add(codecF64s, []byte{1, 2, 3, 4, 5, 6, 7, 8})
	f.Add(codecMsgpack, []byte{0xdd, 0x7f, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, codec uint8, payload []byte) {
		var a any
		if err := decodeValue(codec, clone(payload), &a); err == nil && codec == codecMsgpack {
			again, err := msgpack.Marshal(a)
			if err != nil {
				t.Fatalf("re-encoding %v: %v", a, err)
			}
			if err := checkMsgpack(again); err != nil {
				t.Fatalf("checkMsgpack rejects msgpack's own %x: %v", again, err)
			}
		}
		var m map[string][]string
		_ = decodeValue(codec, clone(payload), &m)
		var s struct {
			A []int
			B map[int]string
			C *float64
		}
		_ = decodeValue(codec, clone(payload), &s)
		var f64 []float64
		_ = decodeValue(codec, clone(payload), &f64)
		var x float64
		_ = decodeValue(codec, clone(payload), &x)
		var str string
		_ = decodeValue(codec, clone(payload), &str)
	})
}
