package launcher

import (
	"os/exec"
	"strconv"

	"github.com/gorun-dev/gorun/launcher/slurm"
)

// srunStarter starts a host's agent as a one-task job step of the SLURM
// allocation the launcher runs in, as PRRTE and Hydra start their daemons:
// SLURM then knows the agent, kills it with the job (scancel, time limit,
// node failure) and accounts for it. The step takes the node's whole share
// of the allocation's CPUs, so the ranks the agent starts may run on all of
// them and are not confined to the one CPU of a default step. --overlap
// lets the steps of one job share their nodes; -u passes the agent's frames
// through as they come instead of line by line.
type srunStarter struct {
	srun  string
	alloc *slurm.Allocation
}

func (s srunStarter) command(host string, argv []string) *exec.Cmd {
	args := []string{
		"--nodes=1", "--ntasks=1", "--nodelist=" + host,
		"--kill-on-bad-exit=1", "--overlap", "--unbuffered", "--quiet",
		"--job-name=gorun-agent",
	}
	if cpus := s.alloc.CPUs(host); cpus > 0 {
		args = append(args, "--cpus-per-task="+strconv.Itoa(cpus))
	}
	args = append(append(args, "--"), argv...)
	return exec.Command(s.srun, args...)
}
