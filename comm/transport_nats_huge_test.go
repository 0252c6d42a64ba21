package comm_test

import (
	"bytes"
	"context"
	"math"
	"os"
	"testing"
	"time"
)

// TestNATSHugeMessage sends one 3 GiB message over NATS and checks it bit
// for bit (mpi4py broke at 2 GiB). It needs about 10 GiB of memory, so it
// runs only when asked:
//
//	GORUN_HUGE=1 go test -run NATSHugeMessage -v ./comm/
func TestNATSHugeMessage(t *testing.T) {
	if os.Getenv("GORUN_HUGE") != "1" {
		t.Skip("set GORUN_HUGE=1 to send a 3 GiB message over NATS")
	}
	if math.MaxInt < 3<<30 {
		t.Skip("a 3 GiB message needs 64-bit ints")
	}
	var size64 int64 = 3 << 30
	size := int(size64) // converted at run time: the constant overflows a 32-bit int
	srv := natsBus(t)
	comms := natsWorld(t, srv, "huge", 2)
	want := pattern(size, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start := time.Now()
	errc := make(chan error, 1)
	go func() { errc <- comms[1].Send(ctx, 0, 0, want) }()
	var got []byte
	if _, err := comms[0].Recv(ctx, 1, 0, &got); err != nil {
		t.Fatal(err)
	}
	d := time.Since(start)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if len(got) != size || !bytes.Equal(got, want) {
		t.Fatalf("received %d bytes, not the %d sent bit for bit", len(got), size)
	}
	t.Logf("3 GiB bit-exact over NATS in %v (%.0f MB/s)", d.Round(time.Millisecond), float64(size)/d.Seconds()/1e6)
}
