package jobenv

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Token reads the bus token of this rank: all of the descriptor named by
// EnvTokenFD (then closed), or else EnvToken, or "" when neither is set.
func Token() (string, error) {
	s := os.Getenv(EnvTokenFD)
	if s == "" {
		return os.Getenv(EnvToken), nil
	}
	fd, err := strconv.Atoi(s)
	if err != nil || fd < 0 {
		return "", fmt.Errorf("jobenv: %s=%q is not a file descriptor", EnvTokenFD, s)
	}
	f := os.NewFile(uintptr(fd), "gorun token")
	if f == nil {
		return "", fmt.Errorf("jobenv: %s=%d is not an open file descriptor", EnvTokenFD, fd)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return "", fmt.Errorf("jobenv: reading the bus token from %s=%d: %w", EnvTokenFD, fd, err)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", errors.New("jobenv: empty bus token on " + EnvTokenFD)
	}
	return tok, nil
}

// Int reads the environment variable name as a decimal integer.
func Int(name string) (int, error) {
	s := os.Getenv(name)
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("jobenv: %s=%q is not a number", name, s)
	}
	return n, nil
}
