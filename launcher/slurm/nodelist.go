package slurm

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxNodes bounds how many names one node list may expand to, so a typo
// such as "n[0-99999999]" is an error rather than a gigabyte of strings.
const MaxNodes = 1 << 16

// ExpandNodeList expands a SLURM host list such as "n[01-03,07],gpu5" or
// "r[1-2]-n[1-2]" into host names, in the order SLURM lists them. A range
// keeps the zero padding of its lower bound ("n[08-10]" is n08 n09 n10);
// several bracket groups in one name expand to every combination, leftmost
// varying slowest. Duplicate names are an error: SLURM never lists a node
// twice, and placing ranks on one twice would oversubscribe it silently.
func ExpandNodeList(list string) ([]string, error) {
	list = strings.TrimSpace(list)
	if list == "" {
		return nil, fmt.Errorf("empty node list")
	}
	var out []string
	seen := make(map[string]bool)
	for _, expr := range splitTopLevel(list) {
		if expr == "" {
			return nil, fmt.Errorf("node list %q: empty host name", list)
		}
		names, err := expandHost(expr, MaxNodes-len(out))
		if err != nil {
			return nil, fmt.Errorf("node list %q: %w", list, err)
		}
		for _, n := range names {
			if seen[n] {
				return nil, fmt.Errorf("node list %q: node %q listed twice", list, n)
			}
			seen[n] = true
		}
		out = append(out, names...)
	}
	return out, nil
}

// splitTopLevel splits s at commas outside brackets.
func splitTopLevel(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

// expandHost expands one host expression, at most limit names.
func expandHost(expr string, limit int) ([]string, error) {
	open := strings.IndexByte(expr, '[')
	if open < 0 {
		if strings.IndexByte(expr, ']') >= 0 {
			return nil, fmt.Errorf("%q: ']' without '['", expr)
		}
		if err := checkName(expr); err != nil {
			return nil, err
		}
		return []string{expr}, nil
	}
	end := strings.IndexByte(expr[open:], ']')
	if end < 0 {
		return nil, fmt.Errorf("%q: '[' without ']'", expr)
	}
	end += open
	prefix, body, rest := expr[:open], expr[open+1:end], expr[end+1:]
	if strings.IndexByte(body, '[') >= 0 {
		return nil, fmt.Errorf("%q: nested '['", expr)
	}
	if err := checkName(prefix); err != nil {
		return nil, err
	}
	values, err := expandRanges(body, limit)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", expr, err)
	}
	var tails []string
	if rest == "" {
		tails = []string{""}
	} else if tails, err = expandHost(rest, limit); err != nil {
		return nil, err
	}
	if len(values)*len(tails) > limit {
		return nil, fmt.Errorf("%q: more than %d nodes", expr, MaxNodes)
	}
	out := make([]string, 0, len(values)*len(tails))
	for _, v := range values {
		for _, t := range tails {
			out = append(out, prefix+v+t)
		}
	}
	return out, nil
}

// expandRanges expands the inside of one bracket: "01-03,7".
func expandRanges(body string, limit int) ([]string, error) {
	if body == "" {
		return nil, fmt.Errorf("empty brackets")
	}
	var out []string
	for _, r := range strings.Split(body, ",") {
		lo, hi, isRange := strings.Cut(r, "-")
		if !isRange {
			hi = lo
		}
		a, err := parseIndex(lo)
		if err != nil {
			return nil, err
		}
		b, err := parseIndex(hi)
		if err != nil {
			return nil, err
		}
		if b < a {
			return nil, fmt.Errorf("range %q runs backwards", r)
		}
		if b-a >= uint64(limit-len(out)) {
			return nil, fmt.Errorf("range %q: more than %d nodes", r, MaxNodes)
		}
		width := len(lo)
		for v := a; v <= b; v++ {
			s := strconv.FormatUint(v, 10)
			if pad := width - len(s); pad > 0 {
				s = strings.Repeat("0", pad) + s
			}
			out = append(out, s)
		}
	}
	return out, nil
}

func parseIndex(s string) (uint64, error) {
	if s == "" || len(s) > 18 {
		return 0, fmt.Errorf("bad node index %q", s)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("bad node index %q", s)
		}
	}
	return strconv.ParseUint(s, 10, 64)
}

// checkName rejects characters that cannot be part of a host name and
// would otherwise reach an ssh or srun command line.
func checkName(s string) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c == '-' || c == '.' || c == '_' ||
			(c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !ok {
			return fmt.Errorf("bad character %q in host name %q", c, s)
		}
	}
	return nil
}
