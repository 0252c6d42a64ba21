package slurm

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseCounts expands SLURM's compressed per-node counts, as in
// SLURM_TASKS_PER_NODE and SLURM_JOB_CPUS_PER_NODE: "2(x3),1" is 2 2 2 1.
// nodes is the length the list must expand to (the node list's); pass -1
// to accept any length.
func ParseCounts(s string, nodes int) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("empty count list")
	}
	var out []int
	for _, item := range strings.Split(s, ",") {
		count, rep := item, "1"
		if i := strings.IndexByte(item, '('); i >= 0 {
			if !strings.HasPrefix(item[i:], "(x") || !strings.HasSuffix(item, ")") {
				return nil, fmt.Errorf("count list %q: bad item %q (want N or N(xM))", s, item)
			}
			count, rep = item[:i], item[i+2:len(item)-1]
		}
		n, err := strconv.Atoi(count)
		if err != nil || n < 0 || n > 1<<16 {
			return nil, fmt.Errorf("count list %q: bad count %q", s, count)
		}
		r, err := strconv.Atoi(rep)
		if err != nil || r < 1 || r > MaxNodes-len(out) {
			return nil, fmt.Errorf("count list %q: bad repeat %q", s, rep)
		}
		for ; r > 0; r-- {
			out = append(out, n)
		}
	}
	if nodes >= 0 && len(out) != nodes {
		return nil, fmt.Errorf("count list %q gives %d nodes, the node list has %d", s, len(out), nodes)
	}
	return out, nil
}
