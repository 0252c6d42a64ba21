package launcher

import (
	"os/exec"
	"strings"
)

// agentStarter starts the agent of a multi-host job on one host. The
// command it returns runs argv there, with its stdin, stdout and stderr
// connected to the agent's: the launcher writes the job's secrets to that
// stdin, never to argv. ssh and a user's template are the two kinds; a
// batch system's task launcher (srun) is a third.
type agentStarter interface {
	command(host string, argv []string) *exec.Cmd
}

// sshStarter runs the agent as "ssh -x -o BatchMode=yes HOST 'AGENT'".
type sshStarter struct{ ssh []string }

func (s sshStarter) command(host string, argv []string) *exec.Cmd {
	args := append(append([]string(nil), s.ssh[1:]...), "-x", "-o", "BatchMode=yes", "--", host, shellJoin(argv))
	return exec.Command(s.ssh[0], args...)
}

// templateStarter runs the words of a template with {host} replaced by the
// host's name, then the agent's argv: 'ip netns exec {host}',
// 'docker exec -i {host}', 'kubectl exec -i {host} --'.
type templateStarter struct{ words []string }

func (t templateStarter) command(host string, argv []string) *exec.Cmd {
	words := make([]string, 0, len(t.words)+len(argv))
	for _, w := range t.words {
		words = append(words, strings.ReplaceAll(w, "{host}", host))
	}
	words = append(words, argv...)
	return exec.Command(words[0], words[1:]...)
}

// newStarter picks the starter a configuration asks for.
func newStarter(c *Config) agentStarter {
	if c.Slurm != nil && c.LaunchAgent == "" && c.SSH == "" {
		return srunStarter{srun: "srun", alloc: c.Slurm}
	}
	if c.LaunchAgent != "" {
		return templateStarter{strings.Fields(c.LaunchAgent)}
	}
	ssh := strings.Fields(c.SSH)
	if len(ssh) == 0 {
		ssh = []string{"ssh"}
	}
	return sshStarter{ssh}
}

// shellJoin quotes argv for the remote shell ssh hands it to.
func shellJoin(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}
