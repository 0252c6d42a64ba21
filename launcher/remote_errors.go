package launcher

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gorun-dev/gorun/launcher/hosts"
)

// DefaultHostTimeout is how long a host of a multi-host job may stay
// silent before it is declared lost.
const DefaultHostTimeout = 5 * time.Second

// HostLostError reports that a host of a multi-host job was lost: its
// agent went silent for the host timeout, or exited (or its ssh did)
// while ranks of the job were still on it. gorun exits ExitHostLost.
type HostLostError struct {
	Host   string
	Ranks  []int // the ranks on it that had not exited
	Reason string
}

func (e *HostLostError) Error() string {
	return fmt.Sprintf("host %s lost (%s); its ranks %s", e.Host, e.Reason, rankList(e.Ranks))
}

// ExitStatus is gorun's exit status for a lost host.
func (e *HostLostError) ExitStatus() int { return ExitHostLost }

// AgentError reports that a host's agent could not run its ranks, for
// example because the program is not on that host.
type AgentError struct {
	Host string
	Code int // gorun's exit status: 127 for a program not found, ...
	Msg  string
}

func (e *AgentError) Error() string   { return e.Msg }
func (e *AgentError) ExitStatus() int { return e.Code }

func rankList(ranks []int) string {
	s := make([]string, len(ranks))
	for i, r := range ranks {
		s[i] = strconv.Itoa(r)
	}
	return strings.Join(s, ",")
}

// validateHosts checks what only a multi-host job needs.
func (c *Config) validateHosts() error {
	if c.mode() == ModeGoroutines {
		return usagef("--mode %s runs on one host; across hosts use --mode %s or %s", c.mode(), ModeProcesses, ModeHybrid)
	}
	if c.Server != "" {
		return usagef("--server cannot be used with hosts: each host runs its own server")
	}
	if c.HostTimeout < 0 {
		return usagef("--host-timeout %v: must not be negative", c.HostTimeout)
	}
	if c.LaunchAgent != "" && c.SSH != "" {
		return usagef("--launch-agent and --ssh contradict each other")
	}
	if r := c.RouteTLS; r != nil && (len(r.CA) > 0 || len(r.Cert) > 0 || len(r.Key) > 0) {
		if _, err := r.Config(); err != nil {
			return usagef("--tls-ca, --tls-cert, --tls-key: %v", err)
		}
	}
	if _, err := hosts.Place(c.Hosts, c.hostsSize(), c.MapBy, c.Oversubscribe); err != nil {
		return usagef("%v", err)
	}
	if c.Slurm != nil {
		return c.validateInAllocation()
	}
	return nil
}

// validateInAllocation checks that the hosts are nodes of the SLURM
// allocation, with no more slots than it holds there unless
// oversubscribing: srun starts nothing elsewhere, and ranks beyond the
// allocation's share would take CPUs other jobs were given.
func (c *Config) validateInAllocation() error {
	for _, h := range c.Hosts {
		n, ok := c.Slurm.Node(h.Name)
		if !ok {
			return usagef("host %s is not in SLURM job %s's allocation (%s)", h.Name, c.Slurm.JobID, c.Slurm.NodeList)
		}
		if h.Slots > n.Slots && !c.Oversubscribe {
			return usagef("host %s: %d slots, but SLURM job %s holds %d there: add --oversubscribe to run more", h.Name, h.Slots, c.Slurm.JobID, n.Slots)
		}
	}
	return nil
}

func (c *Config) hostsSize() int {
	if c.Size == 0 {
		return hosts.TotalSlots(c.Hosts)
	}
	return c.Size
}

func (c *Config) hostTimeout() time.Duration {
	if c.HostTimeout == 0 {
		return DefaultHostTimeout
	}
	return c.HostTimeout
}
