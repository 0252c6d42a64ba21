package geo

import "strconv"

// scanner is a minimal JSON reader over a byte slice for decodeFast. Every
// method reports failure instead of an error: the caller falls back to the
// full decoder, which names the problem.
type scanner struct {
	b   []byte
	i   int
	err bool
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\n', '\r', '\t':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) peek() byte {
	s.ws()
	if s.i >= len(s.b) {
		return 0
	}
	return s.b[s.i]
}

// open consumes c ('{' or '[').
func (s *scanner) open(c byte) bool {
	if s.peek() != c {
		s.err = true
		return false
	}
	s.i++
	return true
}

func (s *scanner) close(c byte) bool {
	if s.peek() != c {
		s.err = true
		return false
	}
	s.i++
	return true
}

func (s *scanner) comma() bool { return s.close(',') }

// firstElem, after '[', reports whether an element follows (else eats ']').
func (s *scanner) firstElem() bool {
	if s.peek() == ']' {
		s.i++
		return false
	}
	if s.i >= len(s.b) {
		s.err = true
	}
	return !s.err
}

// nextElem, after an element, eats ',' and reports true, or eats ']'.
func (s *scanner) nextElem() bool {
	switch s.peek() {
	case ',':
		s.i++
		return true
	case ']':
		s.i++
		return false
	}
	s.err = true
	return false
}

// firstKey and nextKey are firstElem and nextElem for objects.
func (s *scanner) firstKey() bool {
	if s.peek() == '}' {
		s.i++
		return false
	}
	if s.i >= len(s.b) {
		s.err = true
	}
	return !s.err
}

func (s *scanner) nextKey() bool {
	switch s.peek() {
	case ',':
		s.i++
		return true
	case '}':
		s.i++
		return false
	}
	s.err = true
	return false
}

// key reads an object key and its ':'.
func (s *scanner) key() (string, bool) {
	k, ok := s.str()
	if !ok || !s.close(':') {
		s.err = true
		return "", false
	}
	return k, true
}

func (s *scanner) literal(lit string) bool {
	s.ws()
	if len(s.b)-s.i < len(lit) || string(s.b[s.i:s.i+len(lit)]) != lit {
		s.err = true
		return false
	}
	s.i += len(lit)
	return true
}

// number reads a JSON number. Plain decimals with at most 15 digits and at
// most 22 after the point are m / 10^k, both exact in float64, so one
// division gives the correctly rounded value, as strconv.ParseFloat does;
// anything else goes to strconv.ParseFloat.
func (s *scanner) number() (float64, bool) {
	s.ws()
	start := s.i
	j := s.i
	neg := j < len(s.b) && s.b[j] == '-'
	if neg {
		j++
	}
	var m uint64
	digits, frac := 0, -1
	for ; j < len(s.b); j++ {
		c := s.b[j]
		if c >= '0' && c <= '9' {
			m = m*10 + uint64(c-'0')
			digits++
			if frac >= 0 {
				frac++
			}
		} else if c == '.' && frac < 0 {
			frac = 0
		} else {
			break
		}
	}
	end := j
	for ; end < len(s.b); end++ { // exponent or other number characters
		c := s.b[end]
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			break
		}
	}
	s.i = end
	if digits == 0 || frac == 0 {
		s.err = true
		return 0, false
	}
	if end == j && digits <= 15 && frac <= 22 {
		v := float64(m)
		if frac > 0 {
			v /= pow10[frac]
		}
		if neg {
			v = -v
		}
		return v, true
	}
	v, err := strconv.ParseFloat(string(s.b[start:end]), 64)
	if err != nil {
		s.err = true
		return 0, false
	}
	return v, true
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// skip passes over any JSON value.
func (s *scanner) skip() bool {
	switch c := s.peek(); {
	case c == '"':
		_, ok := s.str()
		return ok
	case c == '{':
		s.i++
		for more := s.firstKey(); more; more = s.nextKey() {
			if _, ok := s.key(); !ok || !s.skip() {
				return false
			}
		}
		return !s.err
	case c == '[':
		s.i++
		for more := s.firstElem(); more; more = s.nextElem() {
			if !s.skip() {
				return false
			}
		}
		return !s.err
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		_, ok := s.number()
		return ok
	}
	s.err = true
	return false
}
