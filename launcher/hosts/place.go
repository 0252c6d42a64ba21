package hosts

import "fmt"

// Mapping says how ranks are spread over the hosts.
type Mapping int

const (
	BySlot Mapping = iota // fill each host's slots before the next (mpirun's default)
	ByNode                // one rank a host in turn (mpirun --map-by node)
)

// ParseMapping parses the value of --map-by: "slot" or "node".
func ParseMapping(s string) (Mapping, error) {
	switch s {
	case "slot", "":
		return BySlot, nil
	case "node":
		return ByNode, nil
	}
	return 0, fmt.Errorf("--map-by %q: want slot or node", s)
}

// Place gives each of n ranks a host: the result's element r is the index
// in hs of rank r's host. More ranks than slots is an error unless
// oversubscribe, when the mapping goes round again over every host.
func Place(hs []Host, n int, m Mapping, oversubscribe bool) ([]int, error) {
	if len(hs) == 0 {
		return nil, fmt.Errorf("no hosts")
	}
	if n < 1 {
		return nil, fmt.Errorf("%d ranks: want at least 1", n)
	}
	total := TotalSlots(hs)
	if n > total && !oversubscribe {
		return nil, fmt.Errorf("%d ranks but only %d slots on %d hosts: add --oversubscribe to run more ranks than slots", n, total, len(hs))
	}
	place := make([]int, 0, n)
	used := make([]int, len(hs))
	for len(place) < n {
		// One pass places at most each host's free slots; once every slot
		// is taken, the next pass starts over with empty hosts.
		progress := false
		for i, h := range hs {
			switch m {
			case ByNode:
				if used[i] < h.Slots && len(place) < n {
					place = append(place, i)
					used[i]++
					progress = true
				}
			default:
				for used[i] < h.Slots && len(place) < n {
					place = append(place, i)
					used[i]++
					progress = true
				}
			}
		}
		if !progress {
			clear(used)
		}
	}
	return place, nil
}

// PerHost inverts a placement: element i lists the ranks on host i, in
// increasing order.
func PerHost(place []int, hosts int) [][]int {
	out := make([][]int, hosts)
	for r, h := range place {
		out[h] = append(out[h], r)
	}
	return out
}
