package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"

	"github.com/spf13/pflag"
)

// ParseOrExit parses os.Args[1:] into fs and then runs check (which may
// read fs.Args()), exiting when the program should not go on: status 0
// after --help, which prints usage and the flags to stderr, and status 2,
// with "name: error" on stderr, for a bad flag or a failed check.
func ParseOrExit(fs *pflag.FlagSet, usage string, check func() error) {
	if code, done := parse(fs, os.Args[1:], usage, os.Stderr, check); done {
		os.Exit(code)
	}
}

// parse is ParseOrExit without the exit: done reports that the program
// should stop, with status code.
func parse(fs *pflag.FlagSet, args []string, usage string, stderr io.Writer, check func() error) (code int, done bool) {
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintf(stderr, "usage: %s\n\nFlags:\n%s", usage, fs.FlagUsages()) }
	err := fs.Parse(args)
	if errors.Is(err, pflag.ErrHelp) {
		return 0, true
	}
	if err == nil {
		err = check()
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", fs.Name(), goFuncPrefix.ReplaceAllString(err.Error(), ""))
		return 2, true
	}
	return 0, false
}

// goFuncPrefix is what pflag's errors quote of strconv's ("invalid
// argument "x" for "--k" flag: strconv.ParseInt: parsing "x": invalid
// syntax"): Go's function names, which tell a user nothing.
var goFuncPrefix = regexp.MustCompile(`strconv\.Parse\w+: parsing "[^"]*": `)
