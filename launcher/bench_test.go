//go:build linux

package launcher_test

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gorun-dev/gorun/launcher"
)

// BenchmarkLaunch times whole jobs of testdata/rankprog, which joins the
// world and passes one Barrier: bus start, process starts, connects, the
// ready barrier, the Barrier, exits and cleanup.
//
//	go test -run '^$' -bench Launch -benchtime 20x ./launcher
func BenchmarkLaunch(b *testing.B) {
	prog := filepath.Join(b.TempDir(), "rankprog")
	if out, err := exec.Command("go", "build", "-o", prog, "./testdata/rankprog").CombinedOutput(); err != nil {
		b.Fatalf("building rankprog: %v\n%s", err, out)
	}
	for _, mode := range []launcher.Mode{launcher.ModeProcesses, launcher.ModeGoroutines} {
		for _, n := range []int{1, 2, 8} {
			b.Run(fmt.Sprintf("%s/n=%d", mode, n), func(b *testing.B) {
				cfg := launcher.Config{Program: prog, Size: n, Mode: mode, Oversubscribe: true,
					Stdout: io.Discard, Stderr: io.Discard}
				for b.Loop() {
					if err := launcher.Run(context.Background(), cfg); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
