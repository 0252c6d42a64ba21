package comm

import (
	"os"
	"time"

	"github.com/gorun-dev/gorun/comm/jobenv"
)

// Mode names how the world's ranks run: jobenv.ModeGoroutines ("goroutines")
// when they are goroutines of this process, sharing memory,
// jobenv.ModeProcesses ("processes") when each is a process on a NATS bus,
// even a single one, and jobenv.ModeHybrid ("hybrid") when each process
// holds its host's ranks as goroutines (JoinHybrid). It is the same on
// every rank. SharesMemory differs in that a 1-rank world of either mode
// shares all it has.
func (c *Comm) Mode() string {
	if c.hybrid {
		return jobenv.ModeHybrid
	}
	if c.sharedMemory {
		return jobenv.ModeGoroutines
	}
	return jobenv.ModeProcesses
}

// ProcessorName is the name of the host this rank runs on
// (MPI_Get_processor_name), or "localhost" when it has none.
func ProcessorName() string {
	name, err := os.Hostname()
	if err != nil || name == "" {
		return "localhost"
	}
	return name
}

var epoch = time.Now()

// Wtime is wall-clock time in seconds since a fixed point in this process's
// past, from the monotonic clock (MPI_Wtime): the difference of two calls
// times what ran between them.
func Wtime() float64 { return time.Since(epoch).Seconds() }

// Wtick is the resolution of Wtime in seconds (MPI_Wtick).
func Wtick() float64 { return 1e-9 }
