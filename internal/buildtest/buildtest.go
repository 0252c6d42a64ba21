package buildtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var (
	mu    sync.Mutex
	dir   string
	built = map[string]bool{}
)

// Programs builds the named programs of cmd/ (each at most once per test
// binary) into one temporary directory and returns it. A test is skipped
// when there is no go tool.
func Programs(t testing.TB, names ...string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool to build " + fmt.Sprint(names))
	}
	mu.Lock()
	defer mu.Unlock()
	if dir == "" {
		if dir, err = os.MkdirTemp("", "gorun-buildtest-*"); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"build", "-o", dir + string(filepath.Separator)}
	var missing []string
	for _, n := range names {
		if !built[n] {
			args = append(args, "github.com/gorun-dev/gorun/cmd/"+n)
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		if out, err := exec.Command(goTool, args...).CombinedOutput(); err != nil {
			t.Fatalf("go build %v: %v\n%s", missing, err, out)
		}
		for _, n := range missing {
			built[n] = true
		}
	}
	return dir
}

// Main runs the tests and then removes what Programs built; call it from
// TestMain as os.Exit(buildtest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if dir != "" {
		os.RemoveAll(dir)
	}
	return code
}
