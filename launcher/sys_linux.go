//go:build linux

package launcher

import (
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// errPlatform is nil where the launcher runs: see sys_other.go.
var errPlatform error

// CPUs is the number of CPUs this process may run on (its affinity mask),
// which is what Size defaults to.
func CPUs() int {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil || set.Count() == 0 {
		return 1
	}
	return set.Count()
}

// childProcAttr starts a rank or agent in its own process group (or in
// the launcher's) and kills it when the launcher's thread that started it
// dies, so no rank outlives a SIGKILLed launcher.
func childProcAttr(ownPgrp bool) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: ownPgrp, Pdeathsig: syscall.SIGKILL}
}

// kill sends sig to pid, or to process group -pid.
func kill(pid int, sig syscall.Signal) error { return syscall.Kill(pid, sig) }

// resume continues pid if it is stopped, so that it can act on what it was
// just told.
func resume(pid int) { syscall.Kill(pid, syscall.SIGCONT) }

// ownGroupProcAttr starts a helper process in a process group of its own,
// without Pdeathsig: it must outlive the launcher.
func ownGroupProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// peerPID is the pid the kernel recorded for c's peer when it connected.
func peerPID(c *net.UnixConn) (int, bool) {
	rc, err := c.SyscallConn()
	if err != nil {
		return 0, false
	}
	var cred *unix.Ucred
	var cerr error
	if err := rc.Control(func(fd uintptr) {
		cred, cerr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil || cerr != nil {
		return 0, false
	}
	return int(cred.Pid), true
}
