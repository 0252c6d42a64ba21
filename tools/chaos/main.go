//go:build linux

package main

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"
)

func main() {
	fs := pflag.NewFlagSet("chaos", pflag.ContinueOnError)
	bin := fs.String("bin", "", "directory holding gorun and the programs (default: build them into a temporary directory)")
	trials := fs.Int("trials", 50, "trials per row")
	short := fs.Bool("short", false, "3 trials per row, fewer for slow rows (CI)")
	only := fs.String("only", "", "run only the rows whose name contains this")
	seed := fs.Uint64("seed", uint64(time.Now().UnixNano()), "random seed (printed, so a run can be repeated)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if err == pflag.ErrHelp {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "chaos:", err)
		os.Exit(2)
	}
	if *short {
		*trials = 0 // each row's Short
	}
	if *trials < 1 && !*short {
		fmt.Fprintf(os.Stderr, "chaos: --trials %d: must be at least 1\n", *trials)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code, err := run(ctx, *bin, *trials, *only, *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chaos:", err)
	}
	os.Exit(code)
}

// run runs the rows and prints the table; the status is 1 when a trial
// failed.
func run(ctx context.Context, bin string, trials int, only string, seed uint64) (int, error) {
	work, err := os.MkdirTemp("", "chaos-run-*")
	if err != nil {
		return 2, err
	}
	defer os.RemoveAll(work)
	// The trials' own program is always built here; gorun and the
	// programs too unless --bin has them.
	pkgs := []string{"./tools/chaos/rankprog"}
	if bin == "" {
		bin = filepath.Join(work, "bin")
		pkgs = append(pkgs, "./cmd/gorun", "./cmd/wordcount")
	}
	own := filepath.Join(work, "bin")
	build := exec.Command("go", append([]string{"build", "-o", own + "/"}, pkgs...)...)
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return 2, fmt.Errorf("building the programs (run from the repository root, or pass --bin): %w", err)
	}
	e := &Env{Bin: bin, Gorun: filepath.Join(bin, "gorun"), RankProg: filepath.Join(own, "rankprog"),
		Rand: rand.New(rand.NewPCG(seed, 0)), Data: filepath.Join(work, "data")}
	if err := os.Mkdir(e.Data, 0o755); err != nil {
		return 2, err
	}
	if trials == 0 {
		fmt.Printf("chaos: short run (3 trials per row, fewer for slow rows), seed %d\n", seed)
	} else {
		fmt.Printf("chaos: %d trials per row, seed %d\n", trials, seed)
	}
	var results []*result
	code := 0
	for _, r := range rows {
		if !strings.Contains(r.Name, only) {
			continue
		}
		n := trials
		if n == 0 {
			n = cmp.Or(r.Short, 3)
		}
		res, err := runRow(ctx, e, r, n)
		if res != nil {
			results = append(results, res)
			if len(res.fails) > 0 && r.Known == "" {
				code = 1
			}
		}
		if err != nil {
			printTable(os.Stdout, results)
			return 2, err
		}
	}
	printTable(os.Stdout, results)
	return code, nil
}
