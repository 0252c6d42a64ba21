package jobenv

import (
	"fmt"
	"strconv"
	"strings"
)

// Environment variables the launcher sets for every rank.
const (
	EnvRank      = "GORUN_RANK"       // this process's rank, 0..size-1
	EnvSize      = "GORUN_SIZE"       // world size
	EnvURL       = "GORUN_URL"        // NATS URL of the job's bus
	EnvJob       = "GORUN_JOB"        // job id: the subject prefix on the bus
	EnvMode      = "GORUN_MODE"       // ModeProcesses, ModeGoroutines or ModeHybrid
	EnvRanks     = "GORUN_RANKS"      // hybrid mode: the ranks this process holds, "0,1,2" or "0-2"
	EnvStatusFD  = "GORUN_STATUS_FD"  // hybrid mode: where the process writes the first rank that failed
	EnvTokenFD   = "GORUN_TOKEN_FD"   // file descriptor to read the bus token from (never argv)
	EnvTokenSock = "GORUN_TOKEN_SOCK" // Unix socket that gives the rank process, once, the bus token
	EnvToken     = "GORUN_TOKEN"      // the token itself, for programs started by hand
	EnvTag       = "GORUN_TAG"        // goroutine mode: "1" to tag the ranks' lines (Comm.Stdout), "0" not to
	EnvReportFD  = "GORUN_REPORT_FD"  // goroutine mode: file descriptor to write reports to (see ReportProgress)

	EnvLocalRank = "GORUN_LOCAL_RANK" // this rank's index among the ranks on its host
	EnvLocalSize = "GORUN_LOCAL_SIZE" // the number of ranks on this host
	EnvNode      = "GORUN_NODE"       // this host's index among the job's hosts, 0..nodes-1
	EnvNodes     = "GORUN_NODES"      // the number of hosts of the job
)

// The lines a goroutine-mode process writes to EnvReportFD, each one
// write: "progress <rank> <done> <total>" (as on SubjectProgress) and, as
// it exits, "usage -1 <peak RSS bytes>" (as on SubjectUsage).
const (
	ReportProgress = "progress"
	ReportUsage    = "usage"
)

// EnvMessagesOnly is the user's switch, not the launcher's: "1" makes a
// goroutine world's collectives move messages only (comm.MessagesOnly).
const EnvMessagesOnly = "GORUN_MESSAGES_ONLY"

// EnvCollectives is the user's choice of collective algorithms: "auto"
// (the default: staged over hosts when the job spans several) or "flat"
// (comm.TopologyFlat).
const EnvCollectives = "GORUN_COLLECTIVES"

// EnvNodeMap, the user's, places the world's ranks on nodes for the
// collectives in place of the launcher's placement (comm.ParseNodeMap):
// "K" for K nodes of consecutive ranks, or a node per rank, "0,0,1,1".
const EnvNodeMap = "GORUN_NODE_MAP"

// EnvRouteWindow, the user's, fixes the budget in bytes of bulk data in
// flight on each route between hosts (NATS transport); unset or "auto"
// sizes each route's budget by its measured bandwidth-delay product, "0"
// or "off" leaves each destination its own window only.
const EnvRouteWindow = "GORUN_ROUTE_WINDOW"

// Reserved reports whether key belongs to the contract. The launcher alone
// sets these; a user's -x KEY for one of them is refused, and EnvToken never
// reaches a rank's environment from the launcher's.
func Reserved(key string) bool {
	switch key {
	case EnvRank, EnvRanks, EnvStatusFD, EnvSize, EnvURL, EnvJob, EnvMode, EnvTokenFD, EnvTokenSock, EnvToken, EnvTag, EnvReportFD,
		EnvLocalRank, EnvLocalSize, EnvNode, EnvNodes:
		return true
	}
	return false
}

// ExitAborted is the exit status of a rank process that failed only
// because its job was aborted (a peer failed first, the launcher ended the
// job, or a signal stopped it). A launcher never blames such a rank while
// another rank failed on its own.
const ExitAborted = 120

// Modes, as in EnvMode.
const (
	ModeProcesses  = "processes"
	ModeGoroutines = "goroutines"
	// ModeHybrid: one process per host holds that host's ranks as
	// goroutines; they talk through memory inside the process and over
	// the bus to other processes.
	ModeHybrid = "hybrid"
)

// SubjectInbox is rank's inbox: frames to it arrive on SubjectFrame
// subjects under it. Each rank has exactly one inbox subscription
// (SubjectInboxAll), so frames from one sender keep their order.
func SubjectInbox(job string, rank int) string { return fmt.Sprintf("gorun.%s.rank.%d", job, rank) }

// SubjectReady is where a rank sends its ready request once its inbox is
// live; the launcher answers every request after all ranks are ready.
func SubjectReady(job string) string { return "gorun." + job + ".ready" }

// SubjectAbort carries the launcher's notice that a rank failed; the payload
// is "<rank> <reason>". Every rank subscribes and aborts its world.
func SubjectAbort(job string) string { return "gorun." + job + ".abort" }

// SubjectProgress prefixes the ranks' progress reports: rank publishes
// "<rank> <done> <total>" on SubjectProgressOf(job, rank).
func SubjectProgress(job string) string { return "gorun." + job + ".progress" }

// SubjectProgressOf is where rank publishes its progress reports: a
// subject only rank's bus user may publish to, so the launcher takes the
// rank from the subject (SubjectRank) and refuses a report naming another.
func SubjectProgressOf(job string, rank int) string {
	return SubjectProgress(job) + "." + strconv.Itoa(rank)
}

// SubjectUsageOf is where rank (a hybrid process's first rank for the
// process) publishes its usage report, as SubjectProgressOf.
func SubjectUsageOf(job string, rank int) string { return SubjectUsage(job) + "." + strconv.Itoa(rank) }

// SubjectRank is the rank that names a per-rank subject (SubjectProgressOf,
// SubjectUsageOf): its last token.
func SubjectRank(subject string) (int, bool) {
	i := strings.LastIndexByte(subject, '.')
	r, err := strconv.Atoi(subject[i+1:])
	return r, err == nil
}

// SubjectUsage prefixes a rank process's own resource figures as it exits
// (published on SubjectUsageOf):
// "<rank> <peak RSS bytes>" (rank -1 for a goroutine-mode process, a
// hybrid process's first rank for it), then, from a process whose
// transport counts, " <dst>:<bytes>,..." for the payload bytes its ranks
// sent to each rank. The
// launcher's monitor prefers them to its samples, which can miss the peak
// of a short run.
func SubjectUsage(job string) string { return "gorun." + job + ".usage" }
