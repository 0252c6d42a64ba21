//go:build linux

package launcher

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// jobCgroup is a cgroup v2 of the job's own, made under the launcher's
// where the launcher may write: every rank process starts in it (clone
// into the cgroup, so no child of a rank escapes before it is moved), and
// a process cannot leave it by setsid, a new process group or a double
// fork. One write to cgroup.kill ends every descendant of every rank, as
// a SLURM step's cgroup does. The launcher kills it when the job ends;
// should the launcher die first, SIGKILL included, the group watcher
// (groupwatch.go) kills and removes it.
type jobCgroup struct {
	dir string
	fd  int // the open directory, for SysProcAttr.CgroupFD
}

// newJobCgroup makes the job's cgroup, or returns nil where there is no
// cgroup v2 hierarchy this process may write or EnvNoCgroup is set (then
// each rank runs under a supervisor: supervise_linux.go).
func newJobCgroup(job string) *jobCgroup {
	if os.Getenv(EnvNoCgroup) != "" {
		return nil
	}
	mount, own := cgroup2Mount(), ownCgroup2()
	if mount == "" || own == "" {
		return nil
	}
	dir := filepath.Join(mount, own, "gorun-"+job)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "cgroup.kill")); err != nil { // before Linux 5.14
		os.Remove(dir)
		return nil
	}
	fd, err := syscall.Open(dir, syscall.O_DIRECTORY|syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		os.Remove(dir)
		return nil
	}
	return &jobCgroup{dir: dir, fd: fd}
}

// cgroup2Mount is where the cgroup v2 hierarchy is mounted ("" for
// nowhere): /sys/fs/cgroup on a unified system, /sys/fs/cgroup/unified
// on a hybrid one.
func cgroup2Mount() string {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS... - FSTYPE SOURCE SUPER
		pre, post, ok := strings.Cut(sc.Text(), " - ")
		if fields := strings.Fields(pre); ok && strings.HasPrefix(post, "cgroup2 ") && len(fields) >= 5 && fields[3] == "/" {
			return fields[4]
		}
	}
	return ""
}

// ownCgroup2 is this process's cgroup v2 path ("0::PATH" in
// /proc/self/cgroup), "" if none.
func ownCgroup2() string {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		if p, ok := strings.CutPrefix(line, "0::"); ok {
			return p
		}
	}
	return ""
}

// apply makes a process started with a starts in the cgroup.
func (g *jobCgroup) apply(a *syscall.SysProcAttr) {
	if g != nil {
		a.UseCgroupFD, a.CgroupFD = true, g.fd
	}
}

// kill sends SIGKILL to every process in the cgroup.
func (g *jobCgroup) kill() {
	if g != nil {
		os.WriteFile(filepath.Join(g.dir, "cgroup.kill"), []byte("1"), 0)
	}
}

// remove kills what is left in the cgroup and removes it once it is
// empty, waiting up to a few seconds for the kernel to reap the killed.
func (g *jobCgroup) remove() {
	if g == nil {
		return
	}
	g.kill()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if os.Remove(g.dir) == nil {
			break
		}
	}
	syscall.Close(g.fd)
}
