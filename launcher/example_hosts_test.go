//go:build linux

package launcher_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/gorun-dev/gorun/launcher"
	"github.com/gorun-dev/gorun/launcher/hosts"
)

// A job across three hosts, 1, 2 and 2 ranks, with the agents started
// over ssh (the default) on hosts that share the program's path.
func ExampleRun_hosts() {
	hs, err := hosts.ParseList("node1:1,node2:2,node3:2")
	if err != nil {
		fmt.Println(err)
		return
	}
	err = launcher.Run(context.Background(), launcher.Config{
		Program:     "/shared/bin/pi",
		Hosts:       hs,
		SSH:         "ssh -F /shared/ssh_config",
		HostTimeout: 10 * time.Second,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "gorun:", err)
	}
	os.Exit(launcher.ExitCode(err)) // 122 if a host was lost
}
