package jobenv_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/gorun-dev/gorun/comm/jobenv"
)

func ExampleSubjectInbox() {
	fmt.Println(jobenv.SubjectInbox("j1", 3))
	fmt.Println(jobenv.SubjectReady("j1"))
	// Output:
	// gorun.j1.rank.3
	// gorun.j1.ready
}

func TestToken(t *testing.T) {
	pipe := func(t *testing.T, content string) int {
		t.Helper()
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.WriteString(content); err != nil {
			t.Fatal(err)
		}
		w.Close()
		t.Cleanup(func() { r.Close() })
		return int(r.Fd())
	}
	t.Run("descriptor wins", func(t *testing.T) {
		t.Setenv(jobenv.EnvToken, "fromenv")
		t.Setenv(jobenv.EnvTokenFD, strconv.Itoa(pipe(t, "secret\n")))
		got, err := jobenv.Token()
		if err != nil || got != "secret" {
			t.Fatalf("Token() = %q, %v; want secret", got, err)
		}
	})
	t.Run("environment", func(t *testing.T) {
		t.Setenv(jobenv.EnvTokenFD, "")
		t.Setenv(jobenv.EnvToken, "fromenv")
		got, err := jobenv.Token()
		if err != nil || got != "fromenv" {
			t.Fatalf("Token() = %q, %v; want fromenv", got, err)
		}
	})
	t.Run("empty descriptor", func(t *testing.T) {
		t.Setenv(jobenv.EnvTokenFD, strconv.Itoa(pipe(t, " \n")))
		if _, err := jobenv.Token(); err == nil || !strings.Contains(err.Error(), "empty bus token") {
			t.Fatalf("Token() error = %v; want empty bus token", err)
		}
	})
	t.Run("not a descriptor", func(t *testing.T) {
		t.Setenv(jobenv.EnvTokenFD, "x")
		if _, err := jobenv.Token(); err == nil || !strings.Contains(err.Error(), jobenv.EnvTokenFD) {
			t.Fatalf("Token() error = %v; want one naming %s", err, jobenv.EnvTokenFD)
		}
	})
}

func TestReserved(t *testing.T) {
	for _, k := range []string{jobenv.EnvRank, jobenv.EnvSize, jobenv.EnvURL, jobenv.EnvJob, jobenv.EnvMode, jobenv.EnvTokenFD, jobenv.EnvToken} {
		if !jobenv.Reserved(k) {
			t.Errorf("Reserved(%q) = false", k)
		}
	}
	for _, k := range []string{"PATH", "GORUN_OTHER", "gorun_rank"} {
		if jobenv.Reserved(k) {
			t.Errorf("Reserved(%q) = true", k)
		}
	}
}
