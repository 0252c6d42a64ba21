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

// number reads a JSON number, exactly as RFC 8259 §6 spells it (no leading
// zeros, no '+', digits on both sides of '.'). Plain decimals with at most
// 15 digits and at most 22 after the point are m / 10^k, both exact in
// float64, so one division gives the correctly rounded value, as
// strconv.ParseFloat does; anything else goes to strconv.ParseFloat.
func (s *scanner) number() (float64, bool) {
	s.ws()
	b := s.b
	start, j := s.i, s.i
	neg := j < len(b) && b[j] == '-'
	if neg {
		j++
	}
	var m uint64
	intStart, digits, frac := j, 0, 0
	for ; j < len(b) && isDigit(b[j]); j++ {
		m = m*10 + uint64(b[j]-'0')
		digits++
	}
	if digits == 0 || (digits > 1 && b[intStart] == '0') {
		s.err = true
		return 0, false
	}
	if j < len(b) && b[j] == '.' {
		for j++; j < len(b) && isDigit(b[j]); j++ {
			m = m*10 + uint64(b[j]-'0')
			digits++
			frac++
		}
		if frac == 0 {
			s.err = true
			return 0, false
		}
	}
	plain := true
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		plain = false
		if j++; j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		expStart := j
		for ; j < len(b) && isDigit(b[j]); j++ {
		}
		if j == expStart {
			s.err = true
			return 0, false
		}
	}
	s.i = j
	if plain && digits <= 15 && frac <= 22 {
		v := float64(m)
		if frac > 0 {
			v /= pow10[frac]
		}
		if neg {
			v = -v
		}
		return v, true
	}
	v, err := strconv.ParseFloat(string(b[start:j]), 64)
	if err != nil {
		s.err = true
		return 0, false
	}
	return v, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

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
