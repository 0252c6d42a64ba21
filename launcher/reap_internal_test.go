//go:build linux

package launcher

import (
	"os/exec"
	"runtime/metrics"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// inSyscalls is how many goroutines are in a system call right now.
func inSyscalls() uint64 {
	s := []metrics.Sample{{Name: "/sched/goroutines/not-in-go:goroutines"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestAwaitExitHoldsNoThread checks that waiting for a running child parks
// the goroutine on the poller instead of in waitid(2), where it would hold
// a P (see awaitExit), and that it returns once the child exits.
func TestAwaitExitHoldsNoThread(t *testing.T) {
	cmd := exec.Command("cat") // runs until its stdin closes
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Other goroutines of the test binary pass through system calls now
	// and then; a waiter in waitid would be there the whole time. So the
	// baseline is the least of a few samples, and only a count above it in
	// (nearly) every sample fails.
	base := inSyscalls()
	for range 5 {
		time.Sleep(time.Millisecond)
		base = min(base, inSyscalls())
	}
	done := make(chan struct{})
	go func() {
		awaitExit(cmd.Process.Pid)
		close(done)
	}()
	const samples = 50 // 100 ms of a running child
	above := 0
	for range samples {
		time.Sleep(2 * time.Millisecond)
		if inSyscalls() > base {
			above++
		}
		select {
		case <-done:
			t.Fatal("awaitExit returned while the child was running")
		default:
		}
	}
	if above >= samples-5 {
		t.Fatalf("more goroutines in system calls than before (%d) in %d of %d samples while waiting", base, above, samples)
	}
	stdin.Close()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("awaitExit did not return after the child exited")
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("Wait after awaitExit: %v", err)
	}
}

// TestAwaitExitExited checks that a child that exited before the call (a
// zombie, not yet reaped) is seen at once and left for Wait to reap.
func TestAwaitExitExited(t *testing.T) {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait for the exit without reaping the child (WNOWAIT).
	var info unix.Siginfo
	if err := unix.Waitid(unix.P_PID, cmd.Process.Pid, &info, unix.WEXITED|unix.WNOWAIT, nil); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	awaitExit(cmd.Process.Pid)
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("awaitExit took %v for an exited child", d)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("Wait after awaitExit: %v (the child must be left to reap)", err)
	}
}
