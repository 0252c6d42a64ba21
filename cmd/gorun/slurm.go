package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/gorun-dev/gorun/launcher"
	"github.com/gorun-dev/gorun/launcher/hosts"
	"github.com/gorun-dev/gorun/launcher/slurm"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
)

// useAllocation fills cfg from the SLURM allocation gorun runs in, as
// mpirun and Hydra do inside salloc or sbatch: the allocation's nodes and
// slots are the hosts unless -H or --hostfile names some of them, -n
// defaults to SLURM_NTASKS (else every slot), and agents start as job
// steps. GORUN_SLURM=0 ignores the allocation, as does --mode goroutines,
// which runs on this host alone.
func useAllocation(cfg *launcher.Config, getenv slurm.Getenv, sizeSet bool) error {
	if getenv("GORUN_SLURM") == "0" || cfg.Mode == launcher.ModeGoroutines || cfg.Server != "" || !slurm.InAllocation(getenv) {
		return nil
	}
	a, err := slurm.ReadAllocation(getenv)
	if err != nil {
		return err
	}
	cfg.Slurm = a
	if len(cfg.Hosts) == 0 {
		for _, n := range a.Nodes {
			cfg.Hosts = append(cfg.Hosts, hosts.Host{Name: n.Name, Slots: n.Slots})
		}
	}
	if !sizeSet && a.Tasks > 0 {
		cfg.Size = min(a.Tasks, hosts.TotalSlots(cfg.Hosts))
	}
	return nil
}

// directTask is this process's rank in a job srun started one task per
// rank (srun -n N gorun --rank PROG): its place from SLURM's task
// variables, rank 0's bus on the address its node's name resolves to, the
// rendezvous in the working directory, which srun shares with every task.
func directTask(getenv slurm.Getenv) (launcher.Direct, error) {
	t, err := slurm.ReadTask(getenv)
	if err != nil {
		return launcher.Direct{}, err
	}
	dir, err := os.Getwd()
	if err != nil {
		return launcher.Direct{}, err
	}
	d := launcher.Direct{
		Rank: t.Rank, Size: t.Size, Local: t.Local, LocalSize: t.LocalSize,
		Node: t.NodeID, Nodes: len(t.Nodes), Key: t.JobID + "." + t.StepID, Dir: dir,
	}
	if t.Rank == 0 && len(t.Nodes) > 1 {
		if d.Addr, err = nodeAddr(t.Nodes[t.NodeID]); err != nil {
			return launcher.Direct{}, err
		}
	}
	return d, nil
}

// nodeAddr is the first address of node name that is not a loopback one:
// the one other nodes reach it at.
func nodeAddr(name string) (string, error) {
	addrs, err := net.LookupHost(name)
	if err != nil {
		return "", fmt.Errorf("node %s: %w", name, err)
	}
	for _, a := range addrs {
		if ip := net.ParseIP(a); ip != nil && !ip.IsLoopback() {
			return a, nil
		}
	}
	return "", fmt.Errorf("node %s resolves only to loopback addresses %v: other nodes cannot reach rank 0's bus", name, addrs)
}

// runDirect is gorun --rank: one rank of a job srun started.
func runDirect(cfg launcher.Config, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(cfg.Hosts) > 0 || cfg.Server != "" || cfg.Mode == launcher.ModeGoroutines {
		fmt.Fprint(stderr, "gorun: --rank runs one process rank where srun put it: no -H, --hostfile, --server or --mode goroutines\n")
		return launcher.ExitUsage
	}
	d, err := directTask(os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "gorun --rank: %v\n", err)
		return launcher.ExitUsage
	}
	cfg.Program, cfg.Args = args[0], args[1:]
	cfg.Stdin, cfg.Stdout, cfg.Stderr = stdin, stdout, stderr
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	cfg.Signals = sigs
	err = launcher.RunDirect(context.Background(), cfg, d)
	var ee *launcher.ExitError
	if errors.As(err, &ee) && ee.Rank != d.Rank {
		return ee.Code // the failing rank's gorun says why
	}
	return report(cfg, err, stderr)
}
