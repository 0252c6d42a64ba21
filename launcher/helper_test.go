//go:build linux

package launcher_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/comm"
	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/gorun-dev/gorun/launcher"
	"github.com/nats-io/nats.go"
)

// helperEnv makes the test binary act as a rank program (os/exec's
// TestHelperProcess pattern, done in TestMain so no test framework starts).
const helperEnv = "LAUNCHER_TEST_HELPER"

// helperDirEnv names a directory the ranks of a helper job may write to,
// to tell each other (or the test) where they are.
const helperDirEnv = "LAUNCHER_TEST_DIR"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		os.Exit(helperMain(os.Args[1:]))
	}
	if os.Getenv(agentEnv) == "1" {
		os.Exit(launcher.RunAgent(os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// helperConfig runs this test binary as every rank, with args chosing what
// the ranks do (see helperMain).
func helperConfig(n int, args ...string) (launcher.Config, *syncBuffer, *syncBuffer) {
	out, errb := new(syncBuffer), new(syncBuffer)
	return launcher.Config{
		Program:       os.Args[0],
		Args:          args,
		Size:          n,
		Oversubscribe: true,
		// The race detector sleeps 1s at exit unless told not to.
		Env:     []string{helperEnv + "=1", "GORACE=atexit_sleep_ms=0"},
		Stdout:  out,
		Stderr:  errb,
		Timeout: 30 * time.Second, // a safety net; tests assert far less
	}, out, errb
}

// helperMain is a rank. args[0] names the behaviour; "R" arguments are the
// rank that misbehaves while the others hang.
func helperMain(args []string) int {
	rank, _ := strconv.Atoi(os.Getenv(jobenv.EnvRank))
	arg := func(i int) int { v, _ := strconv.Atoi(args[i]); return v }
	switch args[0] {
	case "env": // print the environment contract
		tok := readToken()
		fmt.Printf("rank=%s size=%s mode=%s job=%s url=%s fd=%s token=%s\n",
			os.Getenv(jobenv.EnvRank), os.Getenv(jobenv.EnvSize), os.Getenv(jobenv.EnvMode),
			os.Getenv(jobenv.EnvJob), os.Getenv(jobenv.EnvURL), os.Getenv(jobenv.EnvTokenFD), tok)
		if tok != "" && strings.Contains(strings.Join(os.Environ(), "\n"), tok) {
			fmt.Println("token in environment")
		}
		fmt.Printf("extra=%s envtoken=%s\n", os.Getenv("EXTRA"), os.Getenv(jobenv.EnvToken))
	case "tokenchild": // a child of the rank asks for the token first, then the rank itself; both say what they got
		child := exec.Command(os.Args[0], "taketoken")
		child.Stdout, child.Stderr = os.Stdout, os.Stderr
		child.Run()
		fmt.Printf("rank got %d bytes\n", len(readToken()))
		fmt.Printf("rank again got %d bytes\n", len(readToken()))
		if target, _ := os.Readlink("/proc/self/fd/3"); strings.HasPrefix(target, "pipe:") {
			fmt.Println("fd 3 is a pipe") // where a token pipe was passed
		}
	case "hybridperm": // a hybrid process: what its secret lets rank 0's connection do
		helperHybridPerm()
	case "taketoken":
		tok, err := jobenv.Token()
		fmt.Printf("child got %d bytes (%v)\n", len(tok), err)
	case "print": // print args[1] on stdout, args[2] on stderr
		fmt.Println(args[1])
		fmt.Fprintln(os.Stderr, args[2])
	case "exit": // exit R CODE
		if rank == arg(1) {
			return arg(2)
		}
		hang()
	case "panic": // panic R
		if rank == arg(1) {
			panic("boom")
		}
		hang()
	case "kill9": // kill9 R
		if rank == arg(1) {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
		hang()
	case "stubborn": // rank R exits 4 once the others ignore SIGTERM, each saying so by a file in $LAUNCHER_TEST_DIR
		dir := os.Getenv(helperDirEnv)
		if rank == arg(1) {
			others := atoi(os.Getenv(jobenv.EnvSize)) - 1
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
				if files, _ := os.ReadDir(dir); len(files) == others {
					return 4
				}
			}
			fmt.Fprintf(os.Stderr, "helper: the other ranks did not ignore SIGTERM within 20s\n")
			return 5
		}
		signal.Ignore(syscall.SIGTERM)
		if err := os.WriteFile(filepath.Join(dir, strconv.Itoa(rank)), nil, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			return 5
		}
		hang()
	case "hang":
		hang()
	case "ignoreterm": // ignore SIGTERM, say so, hang
		signal.Ignore(syscall.SIGTERM)
		fmt.Println("ignoring SIGTERM")
		hang()
	case "chatter": // chatter R MB: rank R prints MB megabytes, others 1000 short lines
		if rank == arg(1) {
			line := strings.Repeat("x", 99) + "\n"
			w := bufio.NewWriter(os.Stdout)
			for range arg(2) << 20 / len(line) {
				w.WriteString(line)
			}
			w.Flush()
			return 0
		}
		t0 := time.Now()
		for i := range 1000 {
			fmt.Printf("quiet %d\n", i)
		}
		fmt.Printf("quiet done in %dms\n", time.Since(t0).Milliseconds())
	case "pids": // print the pid, then hang
		fmt.Printf("pid %d\n", os.Getpid())
		hang()
	case "launch": // act as gorun: run args[1] ranks of "pids", forwarding output
		cfg, _, _ := helperConfig(arg(1), "pids")
		cfg.Stdout, cfg.Stderr = os.Stdout, os.Stderr
		cfg.Env = append(cfg.Env, "GORACE=atexit_sleep_ms=0")
		err := launcher.Run(context.Background(), cfg)
		fmt.Println(err)
		return launcher.ExitCode(err)
	case "launchsh": // act as gorun: run 2 shell ranks that each start two sleeps and print their pids
		cfg, _, _ := helperConfig(2)
		cfg.Program = "sh"
		cfg.Args = []string{"-c", `sleep 30 & echo "pid $!"; sleep 30 & echo "pid $!"; wait`}
		cfg.Stdout, cfg.Stderr = os.Stdout, os.Stderr
		err := launcher.Run(context.Background(), cfg)
		fmt.Println(err)
		return launcher.ExitCode(err)
	case "launchsetsid": // as launchsh, the second sleep in a session of its own
		cfg, _, _ := helperConfig(2)
		cfg.Program = "sh"
		cfg.Args = []string{"-c", `sleep 30 & echo "pid $!"; setsid sleep 30 & echo "pid $!"; wait`}
		cfg.Stdout, cfg.Stderr = os.Stdout, os.Stderr
		err := launcher.Run(context.Background(), cfg)
		fmt.Println(err)
		return launcher.ExitCode(err)
	case "long": // one line of args[1] bytes and no newline
		os.Stdout.Write(bytes.Repeat([]byte("y"), arg(1)))
	case "stdin": // every rank copies its stdin to stdout
		data, _ := io.ReadAll(os.Stdin)
		fmt.Printf("got %q\n", data)
	case "allreduce": // allreduce R: Allreduce in a loop; rank R kills itself with kill -9 in the middle
		target := arg(1)
		comm.Main(func(ctx context.Context, c *comm.Comm) error {
			for i := 0; ; i++ {
				if c.Rank() == target && i == 20 {
					go func() {
						time.Sleep(time.Millisecond)
						syscall.Kill(os.Getpid(), syscall.SIGKILL)
					}()
				}
				if _, err := comm.Allreduce(ctx, c, []float64{1, 2, 3}, comm.Sum); err != nil {
					return err
				}
			}
		})
	case "sum": // every rank prints the sum of rank+1 over all ranks
		comm.Main(func(ctx context.Context, c *comm.Comm) error {
			s, err := comm.Allreduce(ctx, c, int64(c.Rank()+1), comm.Sum)
			if err == nil {
				fmt.Printf("sum=%d\n", s)
			}
			return err
		})
	case "blame": // blame R error|panic: rank R fails; rank 0 waits on R, the others on rank 0
		return helperBlame(rank, arg(1), args[2])
	case "faillast": // faillast R: rank R leaves the world failed, then exits 3 only once the job's SIGTERM came
		return helperFailLast(arg(1))
	case "abortjob": // abortjob R CODE: rank R ends the job while the others wait for it
		comm.Main(func(ctx context.Context, c *comm.Comm) error {
			if c.Rank() == arg(1) {
				c.AbortJob(arg(2), errors.New("bad data"))
			}
			var v int
			_, err := c.Recv(ctx, arg(1), 0, &v)
			return err
		})
	case "tagged": // every rank writes a line in two pieces through Comm.Stdout, and one without a newline to Stderr
		comm.Main(func(ctx context.Context, c *comm.Comm) error {
			fmt.Fprint(c.Stdout(), "hello ")
			fmt.Fprintf(c.Stdout(), "from %d\n", c.Rank())
			fmt.Fprintf(c.Stderr(), "last words of %d", c.Rank())
			return nil
		})
	case "progress": // every rank reports half its work done, then all of it
		comm.Main(func(ctx context.Context, c *comm.Comm) error {
			c.Progress(50, 100)
			c.Progress(100, 100)
			return nil
		})
	case "deadlock": // every rank waits for a message from the next
		comm.Main(func(ctx context.Context, c *comm.Comm) error {
			var v int
			_, err := c.Recv(ctx, (c.Rank()+1)%c.Size(), 5, &v)
			return err
		})
	case "ready": // the rank side of the ready barrier, then report abort notices
		return helperReady(rank, args[1:])
	default:
		fmt.Fprintf(os.Stderr, "helper: unknown behaviour %q\n", args[0])
		return 99
	}
	return 0
}

func hang() { time.Sleep(time.Hour) }

// readToken asks for the job's token as comm does, or returns "".
func readToken() string {
	tok, _ := jobenv.Token()
	return tok
}

// helperReady connects to the bus, passes the ready barrier and prints
// "released"; with "fail R" rank R then exits 3 while the others wait for
// the abort notice and print it.
func helperReady(rank int, args []string) int {
	failing := len(args) == 2 && args[0] == "fail"
	if failing && rank != atoi(args[1]) {
		// Before the barrier: the failing rank may exit, and gorun send
		// SIGTERM, before this rank has printed "released".
		signal.Ignore(syscall.SIGTERM) // so the notice, not SIGTERM, ends us
	}
	job := os.Getenv(jobenv.EnvJob)
	// A rank is handed its own bus user (or, with --server, the token):
	// its replies come under its own prefix, the only one it may read.
	secret := readToken()
	auth := nats.Token(secret)
	if user, pass, ok := jobenv.SplitCredentials(secret); ok {
		auth = nats.UserInfo(user, pass)
	}
	nc, err := nats.Connect(os.Getenv(jobenv.EnvURL), auth, nats.NoReconnect(),
		nats.CustomInboxPrefix(jobenv.InboxPrefix(job, rank)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "connect:", err)
		return 10
	}
	aborts := make(chan *nats.Msg, 1)
	if _, err := nc.ChanSubscribe(jobenv.SubjectAbort(job), aborts); err != nil {
		return 11
	}
	if _, err := nc.Request(jobenv.SubjectReady(job), []byte(strconv.Itoa(rank)), 10*time.Second); err != nil {
		fmt.Fprintln(os.Stderr, "ready:", err)
		return 12
	}
	fmt.Println("released")
	if failing {
		if rank == atoi(args[1]) {
			return 3
		}
		select {
		case m := <-aborts:
			fmt.Printf("abort: %s\n", m.Data)
		case <-time.After(10 * time.Second):
			fmt.Println("no abort notice")
		}
	}
	nc.Close()
	return 0
}

// helperBlame is a comm program in which rank culprit returns an error or
// panics once every rank is inside comm, while rank 0 (or 1, when rank 0 is
// the culprit) waits for a message from it and every other rank waits for a
// message from that waiting rank: every rank but one fails, and only one
// failed on its own.
func helperBlame(rank, culprit int, kind string) int {
	comm.Main(func(ctx context.Context, c *comm.Comm) error {
		waiter := 0
		if culprit == 0 {
			waiter = 1
		}
		if err := c.Barrier(ctx); err != nil {
			return err
		}
		var v int
		switch c.Rank() {
		case culprit:
			if kind == "panic" {
				panic("boom")
			}
			return errors.New("bad input")
		case waiter:
			_, err := c.Recv(ctx, culprit, 0, &v)
			return err
		default:
			_, err := c.Recv(ctx, waiter, 0, &v)
			return err
		}
	})
	return 0
}

// helperFailLast has rank culprit fail as a panicking rank does: its
// peers hear of it (they exit ExitAborted) before it exits itself, here
// not before the launcher, ending the job because of them, signals it.
func helperFailLast(culprit int) int {
	comm.Main(func(ctx context.Context, c *comm.Comm) error {
		if err := c.Barrier(ctx); err != nil {
			return err
		}
		if c.Rank() != culprit {
			var v int
			_, err := c.Recv(ctx, culprit, 0, &v)
			return err
		}
		c.Close()
		select {
		case <-ctx.Done(): // the job's SIGTERM
		case <-time.After(time.Minute): // no SIGTERM: fail the test, do not hang it
		}
		return comm.Exit(3, errors.New("failed before the job ended"))
	})
	return 0
}

func atoi(s string) int { v, _ := strconv.Atoi(s); return v }

// syncBuffer is a bytes.Buffer safe for the launcher's writers and a test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// helperHybridPerm prints what a hybrid process's bus secret lets the
// connection of its rank 0 do: "token connects" if the secret is the job's
// token, then "sent LABEL" or "refused LABEL" for a frame as rank 0, a
// frame as rank 1 and a progress report as rank 1.
func helperHybridPerm() {
	secret, job := readToken(), os.Getenv(jobenv.EnvJob)
	url := os.Getenv(jobenv.EnvURL)
	if nc, err := nats.Connect(url, nats.Token(secret), nats.NoReconnect()); err == nil {
		fmt.Println("token connects")
		nc.Close()
	}
	user, pass, ok := jobenv.SplitCredentials(jobenv.RankSecret(secret, 0))
	if !ok {
		fmt.Println("no credentials of rank 0")
		return
	}
	errs := make(chan error, 8)
	nc, err := nats.Connect(url, nats.UserInfo(user, pass), nats.NoReconnect(),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) { errs <- err }))
	if err != nil {
		fmt.Println("rank 0 cannot connect:", err)
		return
	}
	defer nc.Close()
	tries := []struct{ label, subject string }{
		{"frame-as-0", jobenv.SubjectFrame(job, 1, 0)},
		{"frame-as-1", jobenv.SubjectFrame(job, 0, 1)},
		{"progress-as-1", jobenv.SubjectProgressOf(job, 1)},
	}
	for _, try := range tries {
		nc.Publish(try.subject, []byte("x"))
	}
	nc.Flush()
	refused := map[string]bool{}
	for deadline := time.After(10 * time.Second); len(refused) < 2; {
		select {
		case err := <-errs:
			for _, try := range tries {
				if errors.Is(err, nats.ErrPermissionViolation) && strings.Contains(err.Error(), try.subject+`"`) {
					refused[try.label] = true
				}
			}
		case <-deadline:
			refused["timeout"] = true
		}
	}
	for _, try := range tries {
		fmt.Printf("%s %s\n", map[bool]string{true: "refused", false: "sent"}[refused[try.label]], try.label)
	}
}
