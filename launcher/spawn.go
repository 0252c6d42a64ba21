package launcher

import (
	"os/exec"
	"runtime"
)

// spawner starts every child of a job from one locked OS thread.
//
// Linux delivers a child's Pdeathsig when the thread that created it exits,
// not the process; Go threads come and go, so a rank started from an
// arbitrary goroutine could be killed early or not at all. The spawner's
// thread lives until stop, which Run calls only after every rank was reaped,
// and dies with the launcher otherwise: then every rank gets SIGKILL.
type spawner struct {
	reqs chan spawnReq
}

type spawnReq struct {
	cmd   *exec.Cmd
	reply chan error
}

func startSpawner() *spawner {
	s := &spawner{reqs: make(chan spawnReq)}
	go func() {
		// Never unlocked: when this goroutine returns the runtime ends
		// the thread instead of reusing it.
		runtime.LockOSThread()
		for r := range s.reqs {
			r.reply <- r.cmd.Start()
		}
	}()
	return s
}

// start runs cmd.Start on the spawner's thread.
func (s *spawner) start(cmd *exec.Cmd) error {
	reply := make(chan error, 1)
	s.reqs <- spawnReq{cmd, reply}
	return <-reply
}

// stop ends the spawner's thread. Children still running get Pdeathsig.
func (s *spawner) stop() { close(s.reqs) }
