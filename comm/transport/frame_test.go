package transport_test

import (
	"errors"
	"fmt"
	"testing"
	"unsafe"

	"github.com/gorun-dev/gorun/comm/transport"
)

func ExampleFrame_PutHeader() {
	f := transport.Frame{Kind: transport.KindP2P, Src: 2, Comm: 0, Tag: 7}
	b := make([]byte, transport.HeaderSize)
	f.PutHeader(b)
	var g transport.Frame
	fmt.Println(g.ParseHeader(b), g.Src, g.Tag, g.Kind == transport.KindP2P)
	// Output: <nil> 2 7 true
}

func TestHeaderRoundTrip(t *testing.T) {
	f := transport.Frame{Kind: transport.KindColl, Codec: 3, Op: 4, Src: -5, Comm: 6, Tag: -7, Arg: 8}
	b := make([]byte, transport.HeaderSize)
	f.PutHeader(b)
	var g transport.Frame
	if err := g.ParseHeader(b); err != nil || fmt.Sprint(g) != fmt.Sprint(f) {
		t.Fatalf("ParseHeader = %+v, %v; want %+v", g, err, f)
	}
	if err := g.ParseHeader(b[:transport.HeaderSize-1]); err == nil {
		t.Error("a short header parsed")
	}
	b[0] = 9
	if err := g.ParseHeader(b); err == nil {
		t.Error("a frame of kind 9 parsed")
	}
}

func TestAlignedPayload(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 1000} {
		b := transport.AlignedPayload(n)
		if len(b) != n {
			t.Fatalf("AlignedPayload(%d) has %d bytes", n, len(b))
		}
		if n > 0 && uintptr(unsafe.Pointer(&b[0]))%8 != 0 {
			t.Errorf("AlignedPayload(%d) starts unaligned", n)
		}
	}
}

func TestRankFailedErrorWrapsAborted(t *testing.T) {
	var err error = &transport.RankFailedError{Rank: 3, Reason: "killed by signal 9"}
	if !errors.Is(err, transport.ErrAborted) || err.Error() != "comm: rank 3 failed: killed by signal 9" {
		t.Errorf("%v: want a comm: rank 3 failed error wrapping ErrAborted", err)
	}
}
