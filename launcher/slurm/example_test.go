package slurm_test

import (
	"fmt"

	"github.com/gorun-dev/gorun/launcher/slurm"
)

func ExampleExpandNodeList() {
	nodes, _ := slurm.ExpandNodeList("n[08-10,12],gpu1")
	fmt.Println(nodes)
	// Output: [n08 n09 n10 n12 gpu1]
}

func ExampleReadAllocation() {
	env := map[string]string{
		"SLURM_JOB_ID":         "1234",
		"SLURM_JOB_NODELIST":   "n[1-3]",
		"SLURM_TASKS_PER_NODE": "4(x2),2",
	}
	a, err := slurm.ReadAllocation(func(k string) string { return env[k] })
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Nodes, a.Slots())
	// Output: [{n1 4 0} {n2 4 0} {n3 2 0}] 10
}
