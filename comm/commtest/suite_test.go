package commtest_test

import (
	"testing"

	"github.com/gorun-dev/gorun/comm/commtest"
)

func TestConformanceGoroutines(t *testing.T) { commtest.Run(t, commtest.LocalWorld) }

func TestConformanceNATS(t *testing.T) { commtest.Run(t, commtest.NATSWorld(t)) }
