package comm

import "fmt"

// The environment contract between the gorun launcher and a rank process.
// comm.Main reads these; the launcher sets them.
const (
	EnvRank    = "GORUN_RANK"     // this process's rank, 0..size-1
	EnvSize    = "GORUN_SIZE"     // world size
	EnvURL     = "GORUN_URL"      // NATS URL of the job's bus
	EnvJob     = "GORUN_JOB"      // job id: the subject prefix on the bus
	EnvMode    = "GORUN_MODE"     // "processes" or "goroutines"
	EnvTokenFD = "GORUN_TOKEN_FD" // file descriptor to read the bus token from (never argv)
	EnvToken   = "GORUN_TOKEN"    // the token itself, for programs started by hand
)

// Modes, as in GORUN_MODE.
const (
	ModeProcesses  = "processes"
	ModeGoroutines = "goroutines"
)

// Subjects of one job on the bus. Each rank has exactly one inbox
// subscription, so frames from one sender keep their order.
func SubjectInbox(job string, rank int) string { return fmt.Sprintf("gorun.%s.rank.%d", job, rank) }

// SubjectReady is where a rank sends its ready request once its inbox is
// live; the launcher answers every request after all ranks are ready.
func SubjectReady(job string) string { return "gorun." + job + ".ready" }

// SubjectAbort carries the launcher's notice that a rank failed; the payload
// is "<rank> <reason>". Every rank subscribes and aborts its world.
func SubjectAbort(job string) string { return "gorun." + job + ".abort" }

// SubjectProgress carries a rank's progress reports: "<rank> <done> <total>".
func SubjectProgress(job string) string { return "gorun." + job + ".progress" }

// SubjectUsage carries a rank process's own resource figures as it exits:
// "<rank> <peak RSS bytes>" (rank -1 for a goroutine-mode process). The
// launcher's monitor prefers them to its samples, which can miss the peak
// of a short run.
func SubjectUsage(job string) string { return "gorun." + job + ".usage" }
