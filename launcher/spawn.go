package launcher

import (
	"os/exec"
	"runtime"
)

// spawner starts the children of a job from a few locked OS threads, all
// of which live until stop.
//
// Linux delivers a child's Pdeathsig when the thread that created it exits,
// not the process; Go threads come and go, so a rank started from an
// arbitrary goroutine could be killed early or not at all. The spawner's
// threads live until stop, which Run calls only after every rank was
// reaped, and die with the launcher otherwise: then every rank gets
// SIGKILL. With more than one thread, ranks start in parallel: each start
// (a vfork and an exec) blocks its thread until the child has exec'd.
type spawner struct {
	reqs chan spawnReq
}

type spawnReq struct {
	cmd   *exec.Cmd
	reply chan error
}

// startSpawner starts a spawner with threads threads (at least one).
func startSpawner(threads int) *spawner {
	s := &spawner{reqs: make(chan spawnReq)}
	for range max(threads, 1) {
		go func() {
			// Never unlocked: when this goroutine returns the runtime ends
			// the thread instead of reusing it.
			runtime.LockOSThread()
			for r := range s.reqs {
				r.reply <- r.cmd.Start()
			}
		}()
	}
	return s
}

// start runs cmd.Start on one of the spawner's threads.
func (s *spawner) start(cmd *exec.Cmd) error {
	reply := make(chan error, 1)
	s.reqs <- spawnReq{cmd, reply}
	return <-reply
}

// stop ends the spawner's threads. Children still running get Pdeathsig.
func (s *spawner) stop() { close(s.reqs) }
