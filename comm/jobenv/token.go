package jobenv

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// Token reads the bus token of this rank: from the socket named by
// EnvTokenSock (the launcher gives it to the rank process once, to no
// other process), or all of the descriptor named by EnvTokenFD (then
// closed), or else EnvToken, or "" when none is set.
func Token() (string, error) {
	if name := os.Getenv(EnvTokenSock); name != "" {
		return sockToken(name)
	}
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

// sockToken asks the launcher's token socket.
func sockToken(name string) (string, error) {
	c, err := net.DialTimeout("unix", name, 10*time.Second)
	if err != nil {
		return "", fmt.Errorf("jobenv: asking %s=%s for the bus token: %w", EnvTokenSock, name, err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	b, err := io.ReadAll(c)
	if err != nil {
		return "", fmt.Errorf("jobenv: reading the bus token from %s=%s: %w", EnvTokenSock, name, err)
	}
	if len(b) == 0 {
		return "", fmt.Errorf("jobenv: %s=%s gave no bus token: the launcher gives it to each rank process once, and to no other process", EnvTokenSock, name)
	}
	return string(b), nil
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
