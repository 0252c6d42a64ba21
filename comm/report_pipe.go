package comm

import (
	"os"
	"strconv"
	"sync"

	"github.com/gorun-dev/gorun/comm/jobenv"
)

// reportOnPipe sends a goroutine world's Progress reports, and the
// process's peak RSS as it ends, to the gorun launcher through the pipe
// descriptor fd (jobenv.EnvReportFD): a goroutine job needs no bus. Each
// report is one write of one line. Reports are advisory: one that cannot
// be written is dropped.
func reportOnPipe(comms []*Comm, fd string) (close func()) {
	n, err := strconv.Atoi(fd)
	if err != nil || n < 0 {
		return func() {}
	}
	keepFromChildren(n)
	f := os.NewFile(uintptr(n), "gorun reports")
	var mu sync.Mutex
	write := func(line string) {
		mu.Lock()
		defer mu.Unlock()
		_, _ = f.WriteString(line)
	}
	for _, c := range comms {
		c.SetProgress(throttledProgress(c.Rank(), func(msg string) {
			write(jobenv.ReportProgress + " " + msg + "\n")
		}))
	}
	return func() {
		write(jobenv.ReportUsage + " -1 " + strconv.FormatInt(peakRSS(), 10) + "\n")
		f.Close()
	}
}
