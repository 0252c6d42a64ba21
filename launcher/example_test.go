//go:build linux

package launcher_test

import (
	"context"
	"fmt"
	"os"

	"github.com/gorun-dev/gorun/launcher"
)

// Any program runs as the ranks of a job, as with mpirun; every line comes
// out whole, tagged with its rank.
func ExampleRun() {
	err := launcher.Run(context.Background(), launcher.Config{
		Program:       "sh",
		Args:          []string{"-c", `echo "hello from rank $GORUN_RANK of $GORUN_SIZE"`},
		Size:          2,
		Oversubscribe: true,
		Stdout:        os.Stdout,
	})
	fmt.Println("exit status", launcher.ExitCode(err))
	// Unordered output:
	// [rank 0] hello from rank 0 of 2
	// [rank 1] hello from rank 1 of 2
	// exit status 0
}

// The first rank to fail decides the job's exit status; the error names it.
func ExampleExitError() {
	err := launcher.Run(context.Background(), launcher.Config{
		Program:       "sh",
		Args:          []string{"-c", `[ "$GORUN_RANK" = 1 ] && exit 3; sleep 10`},
		Size:          2,
		Oversubscribe: true,
	})
	fmt.Printf("gorun: %v\nexit status %d\n", err, launcher.ExitCode(err))
	// Output:
	// gorun: rank 1 exited with code 3
	// exit status 3
}
