package launcher

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// A hybrid process holds several ranks, so its exit status alone cannot
// say which of them failed. It tells the launcher on a pipe of its own
// (jobenv.EnvStatusFD): the number of the first rank that failed, written
// as it exits.

// closeStatusWriter closes the launcher's copy of the status pipe's write
// end, once the process holds its own (or could not start).
func (r *rank) closeStatusWriter() {
	for _, f := range r.cmd.ExtraFiles {
		f.Close()
	}
}

// statusWait bounds the read of the status pipe after the process was
// reaped: what it wrote is there already, and a descendant that kept the
// pipe open must not hold the launcher.
const statusWait = 100 * time.Millisecond

// blameFirstFailed names in ee the rank the process reported as the first
// to fail, when it is one of the ranks it holds; ee keeps the process's
// first rank otherwise.
func (r *rank) blameFirstFailed(ee *ExitError) {
	defer r.status.Close()
	r.status.SetReadDeadline(time.Now().Add(statusWait))
	var buf [32]byte
	n, _ := r.status.Read(buf[:])
	if ee == nil {
		return
	}
	if id, err := strconv.Atoi(strings.TrimSpace(string(buf[:n]))); err == nil && slices.Contains(r.held, id) {
		ee.Rank = id
	}
}
