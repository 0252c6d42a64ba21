package launcher

import (
	"fmt"
	"os"
	"os/exec"
	"sync"
)

// groupWatcher kills what is left of the ranks' process groups if the
// launcher dies without ending the job, SIGKILL included.
//
// Pdeathsig takes the ranks themselves, but not their children: a shell
// rank's background job would be left to init. The watcher is a POSIX
// shell outside the job (its own process group, no Pdeathsig) that reads
// one process group id per line from a pipe. At "end" the job is over and
// it exits; at end of file without "end" the launcher has died (the kernel
// closed its end of the pipe) and it sends SIGKILL to every group it was
// told of. A shell starts in about a millisecond, where a second Go
// binary as large as gorun takes several.
//
// A descendant that left its rank's process group (setsid, a shell with
// job control) is out of reach of the groups, but not of the job's cgroup
// (cgroup_linux.go), where there is one: a line "c DIR" names it, and at
// end of file the watcher kills everything in it and removes it.
type groupWatcher struct {
	mu  sync.Mutex
	w   *os.File // nil: no watcher
	cmd *exec.Cmd
}

// watchScript reads groups until "end" or end of file; the signals a
// terminal sends its foreground group are ignored, so a Ctrl-C that the
// launcher forwards cannot end the watch early.
const watchScript = `trap '' HUP INT QUIT TERM
gs= cg=
while read -r g; do
	case $g in
	end) exit 0 ;;
	"c "*) cg=${g#c } ;;
	*) gs="$gs -$g" ;;
	esac
done
[ -n "$gs" ] && kill -s KILL -- $gs 2>/dev/null
if [ -n "$cg" ]; then
	echo 1 >"$cg/cgroup.kill"
	i=0
	while [ $i -lt 100 ] && ! rmdir "$cg" 2>/dev/null; do
		sleep 0.05
		i=$((i + 1))
	done
fi
exit 0`

// startGroupWatcher starts the watcher; without /bin/sh it returns a
// watcher that does nothing, and the ranks' children are then left to the
// launcher's own teardown.
func startGroupWatcher(lg *logger) *groupWatcher {
	gw := &groupWatcher{}
	pr, pw, err := os.Pipe()
	if err != nil {
		lg.warnf("no group watcher (%v): if gorun is killed, processes started by ranks may outlive it", err)
		return gw
	}
	cmd := exec.Command("/bin/sh", "-c", watchScript)
	cmd.Stdin = pr
	cmd.SysProcAttr = ownGroupProcAttr()
	err = cmd.Start()
	pr.Close()
	if err != nil {
		pw.Close()
		lg.warnf("no group watcher (%v): if gorun is killed, processes started by ranks may outlive it", err)
		return gw
	}
	gw.w, gw.cmd = pw, cmd
	return gw
}

// add tells the watcher of a rank's process group.
func (gw *groupWatcher) add(pgid int) {
	gw.mu.Lock()
	defer gw.mu.Unlock()
	if gw.w != nil {
		fmt.Fprintf(gw.w, "%d\n", pgid) // a line is far below PIPE_BUF: one atomic write
	}
}

// cgroup tells the watcher of the job's cgroup.
func (gw *groupWatcher) cgroup(dir string) {
	gw.mu.Lock()
	defer gw.mu.Unlock()
	if gw.w != nil {
		fmt.Fprintf(gw.w, "c %s\n", dir)
	}
}

// stop ends the watch without killing anything: every rank was reaped.
// The watcher is reaped in the background.
func (gw *groupWatcher) stop() {
	gw.mu.Lock()
	defer gw.mu.Unlock()
	if gw.w == nil {
		return
	}
	gw.w.WriteString("end\n")
	gw.w.Close()
	gw.w = nil
	go gw.cmd.Wait()
}
