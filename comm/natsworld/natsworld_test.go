package natsworld_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm/natsbus"
	"github.com/gorun-dev/gorun/comm/natsworld"
)

func TestConnectErrors(t *testing.T) {
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
			comms, err := natsworld.Connect(ctx, tc.url, tc.token, "errs", tc.n)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Connect: %d comms, %v; want an error containing %q", len(comms), err, tc.want)
			}
		})
	}
}
