//go:build linux

package launcher

import (
	"os"

	"golang.org/x/sys/unix"
)

// awaitExit blocks until the child pid has exited, without reaping it, on
// the runtime's network poller (a pidfd turns readable when its process
// exits), so that the exec.Cmd.Wait that follows returns at once.
//
// Wait alone blocks in waitid(2), and a goroutine in a system call keeps
// its P until sysmon takes it back, which takes up to 10-20 ms when the
// launcher has been idle. With a rank per CPU, every P of the launcher
// would sit in waitid while the ranks start, nothing would poll the
// network, and the embedded server would answer the ranks' connects only
// when sysmon next looked, delaying the ready barrier.
//
// Where pidfds are missing (Linux before 5.10) it returns at once and Wait
// blocks as before.
func awaitExit(pid int) {
	fd, err := unix.PidfdOpen(pid, unix.PIDFD_NONBLOCK)
	if err != nil {
		return
	}
	f := os.NewFile(uintptr(fd), "pidfd")
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	// Read calls exited until it reports true, waiting on the poller for
	// the pidfd to turn readable between calls.
	_ = rc.Read(func(fd uintptr) bool { return exited(int(fd)) })
}

// exited reports whether the process of pidfd has exited; an error counts
// as exited, so that the caller goes on to Wait.
func exited(pidfd int) bool {
	fds := []unix.PollFd{{Fd: int32(pidfd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, 0)
	return err != nil || n > 0
}
