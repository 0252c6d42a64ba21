package main

import (
	"testing"

	"github.com/gorun-dev/gorun/internal/buildtest"
)

// gorun starts every job, so its binary stays small: no plotting library
// (gorun-plot draws) and no communicator (ranks link it, not the launcher).
func TestDependencies(t *testing.T) {
	buildtest.NotLinked(t, ".", "gonum.org/v1/plot/...", "github.com/gorun-dev/gorun/comm", "testing")
}
