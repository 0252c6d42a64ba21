package hosts_test

import (
	"fmt"
	"strings"

	"github.com/gorun-dev/gorun/launcher/hosts"
)

func Example() {
	hs, err := hosts.ParseFile("cluster.hosts", strings.NewReader("# three hosts\nh1 slots=1\nh2 slots=2\nh3:2\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	bySlot, _ := hosts.Place(hs, hosts.TotalSlots(hs), hosts.BySlot, false)
	byNode, _ := hosts.Place(hs, hosts.TotalSlots(hs), hosts.ByNode, false)
	fmt.Println(hosts.PerHost(bySlot, len(hs)))
	fmt.Println(hosts.PerHost(byNode, len(hs)))
	_, err = hosts.ParseFile("cluster.hosts", strings.NewReader("h1\nh2 slot=2\n"))
	fmt.Println(err)
	// Output:
	// [[0] [1 2] [3 4]]
	// [[0] [1 3] [2 4]]
	// cluster.hosts:2: unknown key "slot" (want slots= or max_slots=)
}
