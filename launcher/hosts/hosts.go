package hosts

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Host is one host a job may run on and how many ranks it takes.
type Host struct {
	Name  string
	Slots int // at least 1
}

// maxSlots bounds a host's slots, so a typo cannot ask for billions of ranks.
const maxSlots = 1 << 16

// ParseList parses mpirun's -H form: comma-separated HOST or HOST:SLOTS
// (one slot when omitted). A host named twice gets the sum of its slots.
func ParseList(s string) ([]Host, error) {
	var hs []Host
	for i, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, fmt.Errorf("-H %q: entry %d is empty", s, i+1)
		}
		h, err := parseColon(item)
		if err != nil {
			return nil, fmt.Errorf("-H %q: %v", s, err)
		}
		hs = append(hs, h)
	}
	return merge(hs), nil
}

// ParseFile parses a hostfile: one host a line, as "HOST", "HOST slots=N"
// (Open MPI; max_slots=M is accepted and ignored) or "HOST:N" (Hydra).
// A '#' starts a comment; blank lines are skipped. name is used in errors,
// which give the line number.
func ParseFile(name string, r io.Reader) ([]Host, error) {
	var hs []Host
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(text)
		if len(fields) == 0 {
			continue
		}
		h, err := parseLine(fields)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		hs = append(hs, h)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %v", name, line+1, err)
	}
	if len(hs) == 0 {
		return nil, fmt.Errorf("%s: no hosts", name)
	}
	return merge(hs), nil
}

func parseLine(fields []string) (Host, error) {
	h, err := parseColon(fields[0])
	if err != nil {
		return Host{}, err
	}
	hasColon := strings.Contains(fields[0], ":")
	for _, f := range fields[1:] {
		key, val, ok := strings.Cut(f, "=")
		if !ok {
			return Host{}, fmt.Errorf("%q: want KEY=VALUE after the host name", f)
		}
		switch key {
		case "slots", "max_slots":
			n, err := slots(val)
			if err != nil {
				return Host{}, fmt.Errorf("%s=%q: %v", key, val, err)
			}
			if key == "slots" {
				if hasColon {
					return Host{}, fmt.Errorf("%q: slots given twice (HOST:N and slots=)", fields[0])
				}
				h.Slots = n
			}
		default:
			return Host{}, fmt.Errorf("unknown key %q (want slots= or max_slots=)", key)
		}
	}
	return h, nil
}

// parseColon parses HOST or HOST:SLOTS.
func parseColon(s string) (Host, error) {
	name, n, hasSlots := strings.Cut(s, ":")
	if err := checkName(name); err != nil {
		return Host{}, err
	}
	h := Host{Name: name, Slots: 1}
	if hasSlots {
		v, err := slots(n)
		if err != nil {
			return Host{}, fmt.Errorf("%q: slots %v", s, err)
		}
		h.Slots = v
	}
	return h, nil
}

func checkName(name string) error {
	if name == "" {
		return fmt.Errorf("empty host name")
	}
	for _, c := range name {
		ok := c == '.' || c == '-' || c == '_' || c == '@' ||
			(c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !ok {
			return fmt.Errorf("host name %q: character %q is not allowed", name, c)
		}
	}
	if name[0] == '-' {
		return fmt.Errorf("host name %q must not start with '-'", name)
	}
	return nil
}

func slots(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxSlots {
		return 0, fmt.Errorf("must be a number from 1 to %d", maxSlots)
	}
	return n, nil
}

// merge sums the slots of a host named more than once, keeping the order
// of first appearance.
func merge(hs []Host) []Host {
	at := make(map[string]int, len(hs))
	var out []Host
	for _, h := range hs {
		if i, ok := at[h.Name]; ok {
			out[i].Slots = min(out[i].Slots+h.Slots, maxSlots)
			continue
		}
		at[h.Name] = len(out)
		out = append(out, h)
	}
	return out
}

// TotalSlots is the sum of every host's slots.
func TotalSlots(hs []Host) int {
	n := 0
	for _, h := range hs {
		n += h.Slots
	}
	return n
}
