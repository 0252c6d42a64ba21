package commtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm/commtest"
)

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
