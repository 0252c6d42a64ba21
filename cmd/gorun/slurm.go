package main

import (
	"github.com/gorun-dev/gorun/launcher"
	"github.com/gorun-dev/gorun/launcher/hosts"
	"github.com/gorun-dev/gorun/launcher/slurm"
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
