package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/gorun-dev/gorun/comm"
	"github.com/spf13/pflag"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: rankprog fail|idle|burst|mismatch [flags]")
		os.Exit(2)
	}
	scenario := os.Args[1]
	fs := pflag.NewFlagSet("rankprog "+scenario, pflag.ExitOnError)
	dir := fs.String("dir", "", "directory for the files the trial reads")
	rank := fs.Int("rank", 0, "fail: the rank that fails")
	how := fs.String("how", "error", "fail: exit, panic, kill or error")
	after := fs.Duration("after", 0, "fail: when rank --rank fails")
	count := fs.Int("count", 1000, "burst: messages per sender")
	kind := fs.String("kind", "collective", "mismatch: collective, root, op or count")
	seed := fs.Uint64("seed", 1, "mismatch: chooses the calls and the groups")
	fs.Parse(os.Args[2:])
	var fn comm.RankFunc
	switch scenario {
	case "fail":
		fn = failing(*rank, *how, *after, *dir)
	case "idle":
		fn = idle(*dir)
	case "burst":
		fn = burst(*count, *dir)
	case "mismatch":
		fn = mismatch(*kind, *seed, *dir)
	default:
		fmt.Fprintf(os.Stderr, "rankprog: unknown scenario %q\n", scenario)
		os.Exit(2)
	}
	comm.Main(func(ctx context.Context, c *comm.Comm) error {
		if *dir != "" {
			if err := startChild(scenario); err != nil {
				return err
			}
			if err := writeFile(*dir, "rank."+strconv.Itoa(c.Rank()), strconv.Itoa(os.Getpid())); err != nil {
				return err
			}
		}
		return fn(ctx, c)
	})
}

// startChild starts two sleeps that nothing waits for, one in the rank's
// process group and one in a session of its own (out of reach of the
// group): descendants that must die with the job.
func startChild(scenario string) error {
	if scenario == "mismatch" {
		return nil
	}
	if err := exec.Command("sleep", "3600").Start(); err != nil {
		return err
	}
	cmd := exec.Command("sleep", "3600")
	newSession(cmd)
	return cmd.Start()
}

// writeFile writes dir/name whole (through a rename), so that a reader
// never sees part of it.
func writeFile(dir, name, content string) error {
	tmp := filepath.Join(dir, "."+name+".tmp")
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, name))
}
