package commtest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm/commtest"
	"github.com/gorun-dev/gorun/comm/natsbus"
)

func TestConnectNATSWorldErrors(t *testing.T) {
	srv, err := natsbus.Start(natsbus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	cases := []struct {
		name, url, token string
		n                int
		want             string
	}{
		{"no ranks", srv.URL(), srv.Token(), 0, "world of 0 ranks"},
		{"no server", "nats://127.0.0.1:1", "", 2, "connecting to"},
		{"wrong token", srv.URL(), "wrong", 2, "uthorization"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			comms, err := commtest.ConnectNATSWorld(ctx, tc.url, tc.token, "errs", tc.n)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ConnectNATSWorld: %d comms, %v; want an error containing %q", len(comms), err, tc.want)
			}
		})
	}
}

// Each world gets a job of its own: two worlds on one server do not see
// each other's messages.
func TestNATSWorldsAreSeparate(t *testing.T) {
	mk := commtest.NATSWorld(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a, err := mk(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	b, err := mk(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := a[0].Send(ctx, 1, 0, "for a"); err != nil {
		t.Fatal(err)
	}
	if err := b[0].Send(ctx, 1, 0, "for b"); err != nil {
		t.Fatal(err)
	}
	var s string
	if _, err := b[1].Recv(ctx, 0, 0, &s); err != nil || s != "for b" {
		t.Fatalf("world b got %q, %v", s, err)
	}
	if _, err := a[1].Recv(ctx, 0, 0, &s); err != nil || s != "for a" {
		t.Fatalf("world a got %q, %v", s, err)
	}
}
