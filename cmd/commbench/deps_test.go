package main

import (
	"testing"

	"github.com/gorun-dev/gorun/internal/buildtest"
)

// A benchmark binary links no test framework.
func TestDependencies(t *testing.T) {
	buildtest.NotLinked(t, ".", "testing", "github.com/gorun-dev/gorun/comm/commtest")
}
