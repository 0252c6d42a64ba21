//go:build !unix

package geo

import "time"

// cpuTime is 0 where there is no getrusage: the cpu-* metrics read 0.
func cpuTime() time.Duration { return 0 }
