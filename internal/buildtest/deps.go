package buildtest

import (
	"os/exec"
	"strings"
	"testing"
)

// Deps lists the packages that pkg links (go list -deps), skipping the
// test when there is no go tool.
func Deps(t testing.TB, pkg string) []string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool to list the dependencies of " + pkg)
	}
	out, err := exec.Command(goTool, "list", "-deps", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

// NotLinked fails the test for each package of banned that pkg links; a
// pattern ending in "/..." bans the package and everything below it.
func NotLinked(t testing.TB, pkg string, banned ...string) {
	t.Helper()
	for _, d := range Deps(t, pkg) {
		for _, b := range banned {
			root, tree := strings.CutSuffix(b, "/...")
			if d == root || tree && strings.HasPrefix(d, root+"/") {
				t.Errorf("%s links %s", pkg, d)
			}
		}
	}
}
