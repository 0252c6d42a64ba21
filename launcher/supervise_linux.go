//go:build linux

package launcher

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Where there is no job cgroup (cgroup_linux.go), each rank process runs
// under a supervisor: this same binary, re-executed in a hidden mode, that
// is a child subreaper (PR_SET_CHILD_SUBREAPER), so that every descendant
// of the rank that is orphaned, even one in a session of its own, becomes
// its child instead of init's. It starts the program as its only child, in
// its own process group (which the launcher signals as before), and holds
// one end of a socket whose other end only the launcher has:
//
//   - the supervisor writes "pid N" once the program runs (or "err ERRNO"
//     if it could not start it), the pid that the launcher hands the bus
//     secret to, monitors and signals when the rank shares the terminal's
//     process group;
//   - the launcher writes "k" to kill the rank (its SIGKILL), and the
//     socket reads end of file when the launcher has died, however it died;
//     either way the supervisor sends SIGKILL to every process under it,
//     and again to each orphan it inherits, until it has no child left;
//   - when the program exits, the supervisor does the same to what it left
//     behind, then exits as the program did (the same code, or killed by
//     the same signal).
//
// The supervisor ignores the signals the launcher sends the group: the
// program gets them directly. Only SIGKILL of the supervisor itself, which
// the launcher never sends it, would leave the rank's descendants behind.

// envSupervisorFD, set only in a supervisor's environment, is the
// descriptor of its end of the control socket; argv is then
// [name, program path, program argv...].
const envSupervisorFD = "GORUN_SUPERVISOR_FD"

// EnvNoCgroup, set to any value in the launcher's environment, makes it
// use no job cgroup even where one could be made: the ranks run under
// supervisors instead, as where cgroup v2 is not writable.
const EnvNoCgroup = "GORUN_NO_CGROUP"

// supervised: ranks run under a supervisor where the job has no cgroup.
const supervised = true

func init() {
	if fd := os.Getenv(envSupervisorFD); fd != "" && len(os.Args) >= 3 {
		os.Exit(supervisorMain(fd, os.Args[1], os.Args[2:]))
	}
}

// supervise wraps cmd, prepared to run the program, so that it runs the
// supervisor, which runs the program. It returns the launcher's end of the
// control socket; the supervisor's end is one of cmd.ExtraFiles, which the
// caller closes once cmd has started. cmd.SysProcAttr must be set.
func supervise(cmd *exec.Cmd) (*os.File, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	syscall.SetNonblock(fds[0], true) // for read deadlines
	mine := os.NewFile(uintptr(fds[0]), "supervisor control")
	theirs := os.NewFile(uintptr(fds[1]), "supervisor control")
	cmd.Env = append(cmd.Env, envSupervisorFD+"="+strconv.Itoa(3+len(cmd.ExtraFiles)))
	cmd.ExtraFiles = append(cmd.ExtraFiles, theirs)
	cmd.Args = append([]string{"gorun-supervisor", cmd.Path}, cmd.Args...)
	cmd.Path = exe
	// It must outlive the launcher to end the rank's processes: it ends
	// itself when its socket reads end of file.
	cmd.SysProcAttr.Pdeathsig = 0
	return mine, nil
}

// supervisedStart is how long a supervisor may take to start the program.
const supervisedStart = 30 * time.Second

// readChild reads the program's pid from a supervisor that has started.
func readChild(ctl *os.File, path string) (int, error) {
	ctl.SetReadDeadline(time.Now().Add(supervisedStart))
	line, err := bufio.NewReader(ctl).ReadString('\n')
	ctl.SetReadDeadline(time.Time{})
	if err != nil {
		return 0, fmt.Errorf("supervisor: %w", err)
	}
	word, n, _ := strings.Cut(strings.TrimSpace(line), " ")
	v, err := strconv.Atoi(n)
	switch {
	case err != nil:
		return 0, fmt.Errorf("supervisor said %q", line)
	case word == "err":
		return 0, &os.PathError{Op: "fork/exec", Path: path, Err: syscall.Errno(v)}
	}
	return v, nil
}

// supervise runs the supervisor (see above): fd is its control socket,
// the program path and argv what it runs. It returns the exit code, or
// does not return when the program died of a signal.
func supervisorMain(fd, path string, argv []string) int {
	n, err := strconv.Atoi(fd)
	if err != nil || n < 3 {
		fmt.Fprintf(os.Stderr, "gorun: supervisor: bad %s=%q\n", envSupervisorFD, fd)
		return 127
	}
	syscall.CloseOnExec(n)
	ctl := os.NewFile(uintptr(n), "control")
	os.Unsetenv(envSupervisorFD)
	runtime.LockOSThread() // the program's Pdeathsig follows this thread
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		fmt.Fprintf(os.Stderr, "gorun: supervisor: %v\n", err)
	}
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs) // every signal the group gets is the program's
	go func() {
		for range sigs {
		}
	}()
	files := []*os.File{os.Stdin, os.Stdout, os.Stderr}
	for i := 3; i < n; i++ {
		files = append(files, os.NewFile(uintptr(i), "passed"))
	}
	p, err := os.StartProcess(path, argv, &os.ProcAttr{Files: files,
		Sys: &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}})
	for _, f := range files[3:] {
		f.Close()
	}
	if err != nil {
		errno := syscall.ENOENT
		errors.As(err, &errno)
		fmt.Fprintf(ctl, "err %d\n", int(errno))
		return 127
	}
	fmt.Fprintf(ctl, "pid %d\n", p.Pid)
	go func() {
		var b [1]byte
		ctl.Read(b[:]) // "k", or end of file: the launcher is gone
		killDescendants()
	}()
	var ws syscall.WaitStatus
	for {
		pid, err := syscall.Wait4(-1, &ws, 0, nil)
		if pid == p.Pid || err == syscall.ECHILD {
			break
		}
	}
	reapAll()
	if ws.Signaled() {
		dieOf(ws.Signal())
		return 128 + int(ws.Signal())
	}
	return ws.ExitStatus()
}

// reapAll kills and reaps every process under this one until it has no
// child left: an orphan of a killed process becomes this subreaper's
// child, and is killed in the next round.
func reapAll() {
	for {
		killDescendants()
		var ws syscall.WaitStatus
		if _, err := syscall.Wait4(-1, &ws, 0, nil); err == syscall.ECHILD {
			return
		}
	}
}

// killDescendants sends SIGKILL to every process under this one, from
// the parent links in /proc.
func killDescendants() {
	kids := map[int][]int{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// PID (COMM) STATE PPID ...: COMM may hold spaces and parentheses.
		i := strings.LastIndexByte(string(stat), ')')
		f := strings.Fields(string(stat[i+1:]))
		if i < 0 || len(f) < 2 {
			continue
		}
		if ppid, err := strconv.Atoi(f[1]); err == nil {
			kids[ppid] = append(kids[ppid], pid)
		}
	}
	for todo := kids[os.Getpid()]; len(todo) > 0; {
		pid := todo[len(todo)-1]
		todo = append(todo[:len(todo)-1], kids[pid]...)
		syscall.Kill(pid, syscall.SIGKILL)
	}
}

// dieOf ends this process by sig's default action, as the program it
// supervised ended, without a core dump of its own.
func dieOf(sig syscall.Signal) {
	signal.Reset(sig)
	var dfl [4]uint64 // struct sigaction, all zero: SIG_DFL, no flags, empty mask
	unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&dfl)), 0, 8, 0, 0)
	unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{})
	syscall.Kill(os.Getpid(), sig)
	time.Sleep(100 * time.Millisecond) // delivery; a signal that does not kill falls through
}
