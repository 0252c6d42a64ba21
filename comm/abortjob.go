package comm

import (
	"fmt"
	"os"
)

// AbortJob ends the whole job at once with exit status code, as MPI_Abort
// does: it prints "<program>: rank R: job aborted: <err>" to stderr (err
// may be nil) and exits this process with code, without waiting for any
// peer. Under gorun in process mode the launcher names this rank, ends
// every other rank within about a second and exits with code; in a
// goroutine world every rank lives in this process and ends with it.
//
// AbortJob never returns, in a test or a library too: like os.Exit it
// skips deferred calls and buffered output that was not flushed. A code
// outside 1..255 is taken as 1, because an aborted job has failed.
func (c *Comm) AbortJob(code int, err error) {
	if code < 1 || code > 255 {
		code = 1
	}
	msg := "job aborted"
	if err != nil {
		msg += ": " + err.Error()
	}
	fmt.Fprintf(os.Stderr, "%s: rank %d: %s\n", progName(), c.rank, msg)
	if c.hybrid {
		reportFailedRank(c.WorldRank(c.rank))
	}
	os.Exit(code)
}
