// Package jobenv is the contract between a launcher and the ranks of one
// gorun job: the environment variables a rank is started with and the NATS
// subjects of the job's bus. The gorun launcher sets and serves them;
// comm.Main reads and uses them. A launcher or a rank written outside this
// module speaks to the other side through this package alone.
//
// A rank process is started with EnvRank, EnvSize, EnvJob and EnvMode; in
// process mode also EnvURL and EnvTokenSock, a Unix socket that gives the
// bus token to the rank process once, and to no other process, so the
// token never appears in argv or the environment and never reaches a
// program that does not ask for it (EnvTokenFD, a descriptor holding the
// token up to EOF, serves ranks started by other launchers).
// On the bus, each rank subscribes its one inbox (SubjectInboxAll: frames
// arrive on SubjectFrame, named by their sender) and the abort subject, then asks on SubjectReady; the launcher answers every
// ready request once all ranks have asked. Ranks report progress and their
// peak memory on SubjectProgress and SubjectUsage; the launcher announces a
// failed rank on SubjectAbort. On a server the launcher runs, a rank
// connects as its own user with only those permissions (perm.go).
//
// Exit statuses are part of the contract: ExitAborted marks a rank that
// failed only because its job was aborted, and ExitError carries a status
// with its cause in both directions (comm.Exit, the launcher's verdict).
package jobenv
