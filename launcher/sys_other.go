//go:build !linux

package launcher

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"runtime"
	"syscall"
)

// errPlatform is what Run returns on this platform. The launcher relies on
// Linux to keep its promises (ranks die with it through Pdeathsig, exits
// are awaited on pidfds, the CPU count is the affinity mask); the comm
// programs themselves run anywhere, as goroutine ranks.
var errPlatform = errors.New("launcher: the launcher runs on Linux only; comm programs run elsewhere in goroutine mode (GORUN_SIZE=N PROGRAM)")

// CPUs is the number of CPUs Go may use here, which is what Size defaults
// to.
func CPUs() int { return runtime.NumCPU() }

// childProcAttr is never used here: Run refuses before starting anything.
func childProcAttr(bool) *syscall.SysProcAttr { return nil }

// ownGroupProcAttr is never used here: Run refuses before starting anything.
func ownGroupProcAttr() *syscall.SysProcAttr { return nil }

// kill is never used here: Run refuses before starting anything.
func kill(int, syscall.Signal) error { return errPlatform }

// resume is never used here: Run refuses before starting anything.
func resume(int) {}

// awaitExit returns at once; exec.Cmd.Wait does the waiting.
func awaitExit(int) {}

// peerPID reports false: no peer credentials here.
func peerPID(*net.UnixConn) (int, bool) { return 0, false }

// jobCgroup does nothing here: Run refuses before starting anything.
type jobCgroup struct{ dir string }

func newJobCgroup(string) *jobCgroup            { return nil }
func (g *jobCgroup) apply(*syscall.SysProcAttr) {}
func (g *jobCgroup) kill()                      {}
func (g *jobCgroup) remove()                    {}

// No supervisors here: Run refuses before starting anything.
const supervised = false

func supervise(*exec.Cmd) (*os.File, error)   { return nil, errPlatform }
func readChild(*os.File, string) (int, error) { return 0, errPlatform }
