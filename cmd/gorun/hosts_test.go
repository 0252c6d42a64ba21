package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bad multi-host flags and hostfiles are usage errors (2) with one line
// naming what is wrong: the file and line of a bad hostfile line.
func TestHostsUsage(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "hosts")
	if err := os.WriteFile(bad, []byte("# cluster\nnode1 slots=2\nnode2 slot=2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--hostfile", bad, "true"}, "gorun: " + bad + ":3: unknown key \"slot\" (want slots= or max_slots=)\n"},
		{[]string{"--hostfile", filepath.Join(dir, "none"), "true"}, "no such file or directory"},
		{[]string{"-H", "a:2", "--hostfile", bad, "true"}, "gorun: -H and --hostfile contradict each other\n"},
		{[]string{"-H", "a:0", "true"}, "must be a number from 1"},
		{[]string{"-H", "a", "--map-by", "core", "true"}, "gorun: --map-by \"core\": want slot or node\n"},
		{[]string{"-H", "a:2,b:2", "-n", "5", "true"}, "gorun: 5 ranks but only 4 slots on 2 hosts: add --oversubscribe"},
		{[]string{"-H", "a", "--mode", "goroutines", "true"}, "across hosts use --mode processes or hybrid"},
		{[]string{"--tls", "true"}, "gorun: --tls secures the routes between hosts: it needs -H or --hostfile\n"},
		{[]string{"-H", "a", "--tls-ca", bad, "true"}, "gorun: --tls-ca, --tls-cert and --tls-key go together\n"},
		{[]string{"-H", "a", "--tls-ca", bad, "--tls-cert", bad, "--tls-key", filepath.Join(dir, "none"), "true"}, "none: no such file or directory"},
		{[]string{"-H", "a", "--tls-ca", bad, "--tls-cert", bad, "--tls-key", bad, "true"}, "gorun: --tls-ca " + bad + ", --tls-cert " + bad + ", --tls-key " + bad + ": the CA holds no PEM certificate\n"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, strings.NewReader(""), &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), tc.want) || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("gorun %q: exit %d, stderr %q; want 2 and one line with %q", tc.args, code, &stderr, tc.want)
		}
	}
}
