package comm_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
)

// Over a bus with a credit window of 64 KiB, rank 1 Isends 32 windows'
// worth to rank 0, then a Send on the same tag and one on another, and
// computes; rank 0 posts its receives only once rank 1 says, by a
// channel, that its work is done. The messages arrive whole and in the
// order sent, the large one with the value it had at the Isend.
func TestNATSIsendPastTheWindow(t *testing.T) {
	defer comm.SetNATSLimits(16<<10, 64<<10)()
	srv := natsBus(t)
	comms := natsWorld(t, srv, "isend", 2)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	big := pattern(2<<20, 1)
	want := bytes.Clone(big)
	worked := make(chan float64)
	go func() {
		c := comms[1]
		req := c.Isend(ctx, 0, 1, big)
		big[0] ^= 0xff // Isend took its copy
		if err := c.Send(ctx, 0, 1, "after, same tag"); err != nil {
			t.Error(err)
		}
		if err := c.Send(ctx, 0, 2, "after, other tag"); err != nil {
			t.Error(err)
		}
		sum := 0.0
		for _, b := range want {
			sum += float64(b)
		}
		worked <- sum
		if _, err := req.Wait(ctx); err != nil {
			t.Error(err)
		}
	}()
	if sum := <-worked; sum == 0 {
		t.Fatal("no work done")
	}
	c := comms[0]
	var other, same string
	if _, err := c.Recv(ctx, 1, 2, &other); err != nil || other != "after, other tag" {
		t.Fatalf("tag 2: %q, %v", other, err)
	}
	var got []byte
	if _, err := c.Recv(ctx, 1, 1, &got); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("the Isend's message: %d bytes (equal %v), %v", len(got), bytes.Equal(got, want), err)
	}
	if _, err := c.Recv(ctx, 1, 1, &same); err != nil || same != "after, same tag" {
		t.Fatalf("tag 1 after the Isend: %q, %v", same, err)
	}
}

// A rank that closes right after a large Isend, without waiting for it,
// loses nothing: Close waits for the sends still under way.
func TestNATSCloseAfterIsend(t *testing.T) {
	defer comm.SetNATSLimits(16<<10, 64<<10)()
	srv := natsBus(t)
	comms := natsWorld(t, srv, "isendclose", 2)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	big := pattern(1<<20, 2)
	comms[1].Isend(ctx, 0, 0, big)
	if err := comms[1].Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	var got []byte
	if _, err := comms[0].Recv(ctx, 1, 0, &got); err != nil || !bytes.Equal(got, big) {
		t.Fatalf("after the sender closed: %d bytes, %v", len(got), err)
	}
}

// An Isend that the credit window has room for goes out before Isend
// returns, straight from the caller's memory: its request is complete at
// once, and what the caller writes into the buffer afterwards never
// reaches the receiver.
func TestNATSIsendWithinTheWindow(t *testing.T) {
	srv := natsBus(t)
	comms := natsWorld(t, srv, "isendnow", 2)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	buf := pattern(256<<10, 3)
	var want [][]byte
	for i := range 3 {
		req := comms[1].Isend(ctx, 0, 0, buf)
		want = append(want, bytes.Clone(buf))
		if _, done, err := req.Test(); !done || err != nil {
			t.Fatalf("Isend %d of 256 KiB within a 32 MiB window: done %v, %v", i, done, err)
		}
		buf[i] ^= 0xff
	}
	for i, w := range want {
		var got []byte
		if _, err := comms[0].Recv(ctx, 1, 0, &got); err != nil || !bytes.Equal(got, w) {
			t.Fatalf("message %d: %d bytes (as sent: %v), %v", i, len(got), bytes.Equal(got, w), err)
		}
	}
}
