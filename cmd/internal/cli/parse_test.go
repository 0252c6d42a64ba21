package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func TestParse(t *testing.T) {
	bad := errors.New("--n 0: must be at least 1")
	tests := []struct {
		name   string
		args   []string
		code   int
		done   bool
		stderr string
	}{
		{"ok", []string{"--n", "3", "a"}, 0, false, ""},
		{"help", []string{"--help"}, 0, true, "usage: prog [--n N] PATH...\n\nFlags:\n      --n int"},
		{"bad flag", []string{"--bogus"}, 2, true, "prog: unknown flag: --bogus\n"},
		{"bad number", []string{"--n", "x"}, 2, true, "prog: invalid argument \"x\" for \"--n\" flag: invalid syntax\n"},
		{"failed check", []string{"--n", "0"}, 2, true, "prog: --n 0: must be at least 1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := pflag.NewFlagSet("prog", pflag.ContinueOnError)
			n := fs.Int("n", 1, "count")
			var stderr bytes.Buffer
			var gotArgs []string
			code, done := parse(fs, tt.args, "prog [--n N] PATH...", &stderr, func() error {
				gotArgs = fs.Args()
				if *n < 1 {
					return bad
				}
				return nil
			})
			if code != tt.code || done != tt.done {
				t.Errorf("code %d, done %v; want %d, %v", code, done, tt.code, tt.done)
			}
			if !strings.HasPrefix(stderr.String(), tt.stderr) || tt.stderr == "" && stderr.Len() > 0 {
				t.Errorf("stderr %q, want it to start with %q", stderr.String(), tt.stderr)
			}
			if tt.name == "ok" && (len(gotArgs) != 1 || gotArgs[0] != "a") {
				t.Errorf("check saw args %q, want [a]", gotArgs)
			}
		})
	}
}
