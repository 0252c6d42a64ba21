package slurm

import (
	"fmt"
	"strconv"
)

// Node is one node of an allocation and the ranks it may run.
type Node struct {
	Name  string
	Slots int // ranks it may run
	CPUs  int // CPUs the job holds on it (SLURM_JOB_CPUS_PER_NODE); 0 when unknown
}

// Allocation is what a SLURM job holds, read from the environment of a
// batch script or an salloc shell.
type Allocation struct {
	JobID       string
	Nodes       []Node
	Tasks       int    // SLURM_NTASKS; 0 when the job did not say
	CPUsPerTask int    // SLURM_CPUS_PER_TASK; 1 when unset
	NodeList    string // the compressed list as SLURM gave it, for srun -w
}

// Slots is the number of ranks the allocation holds in all.
func (a *Allocation) Slots() int {
	n := 0
	for _, nd := range a.Nodes {
		n += nd.Slots
	}
	return n
}

// Node returns the node named name, if the allocation holds it.
func (a *Allocation) Node(name string) (Node, bool) {
	for _, n := range a.Nodes {
		if n.Name == name {
			return n, true
		}
	}
	return Node{}, false
}

// CPUs is the number of CPUs the job holds on node name, 0 when unknown.
func (a *Allocation) CPUs(name string) int {
	n, _ := a.Node(name)
	return n.CPUs
}

// Getenv is the shape of os.Getenv, so tests can pass a map's lookup.
type Getenv func(string) string

// InAllocation reports whether the environment is that of a SLURM job.
func InAllocation(getenv Getenv) bool {
	return getenv("SLURM_JOB_ID") != "" && nodeListVar(getenv) != ""
}

func nodeListVar(getenv Getenv) string {
	for _, v := range []string{"SLURM_JOB_NODELIST", "SLURM_NODELIST"} {
		if getenv(v) != "" {
			return v
		}
	}
	return ""
}

// ReadAllocation reads the allocation from the environment. A node's slots
// come from SLURM_TASKS_PER_NODE when the job asked for tasks, otherwise
// from SLURM_JOB_CPUS_PER_NODE divided by SLURM_CPUS_PER_TASK (at least
// one per node), as srun would place them.
func ReadAllocation(getenv Getenv) (*Allocation, error) {
	a := &Allocation{JobID: getenv("SLURM_JOB_ID"), CPUsPerTask: 1}
	if a.JobID == "" {
		return nil, fmt.Errorf("not inside a SLURM allocation: SLURM_JOB_ID is unset")
	}
	listVar := nodeListVar(getenv)
	if listVar == "" {
		return nil, fmt.Errorf("SLURM_JOB_ID is set but SLURM_JOB_NODELIST is not")
	}
	a.NodeList = getenv(listVar)
	names, err := ExpandNodeList(a.NodeList)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", listVar, err)
	}
	if a.CPUsPerTask, err = positiveVar(getenv, "SLURM_CPUS_PER_TASK", 1); err != nil {
		return nil, err
	}
	if a.Tasks, err = positiveVar(getenv, "SLURM_NTASKS", 0); err != nil {
		return nil, err
	}
	var cpus []int
	if s := getenv("SLURM_JOB_CPUS_PER_NODE"); s != "" {
		if cpus, err = ParseCounts(s, len(names)); err != nil {
			return nil, fmt.Errorf("SLURM_JOB_CPUS_PER_NODE: %w", err)
		}
	}
	var slots []int
	switch s := getenv("SLURM_TASKS_PER_NODE"); {
	case s != "":
		if slots, err = ParseCounts(s, len(names)); err != nil {
			return nil, fmt.Errorf("SLURM_TASKS_PER_NODE: %w", err)
		}
	case cpus != nil:
		slots = make([]int, len(cpus))
		for i, c := range cpus {
			slots[i] = max(1, c/a.CPUsPerTask)
		}
	default:
		return nil, fmt.Errorf("neither SLURM_TASKS_PER_NODE nor SLURM_JOB_CPUS_PER_NODE is set")
	}
	for i, n := range names {
		nd := Node{Name: n, Slots: slots[i]}
		if cpus != nil {
			nd.CPUs = cpus[i]
		}
		a.Nodes = append(a.Nodes, nd)
	}
	return a, nil
}

// positiveVar reads a positive integer variable, def when unset.
func positiveVar(getenv Getenv, name string, def int) (int, error) {
	s := getenv(name)
	if s == "" {
		return def, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		return 0, fmt.Errorf("%s=%q: want a positive integer", name, s)
	}
	return v, nil
}

// Task is this process's place in a job step started by srun.
type Task struct {
	JobID  string
	StepID string
	Rank   int // SLURM_PROCID
	Size   int // SLURM_NTASKS (or SLURM_NPROCS)
	Local  int // SLURM_LOCALID: the task's index on its node
	// LocalSize is the number of the step's tasks on this node
	// (SLURM_STEP_TASKS_PER_NODE); 0 when SLURM did not say.
	LocalSize int
	NodeID    int // SLURM_NODEID: the node's index in the step's node list
	Nodes     []string
}

// ReadTask reads this process's task from a job step's environment.
func ReadTask(getenv Getenv) (*Task, error) {
	t := &Task{JobID: getenv("SLURM_JOB_ID"), StepID: getenv("SLURM_STEP_ID")}
	if getenv("SLURM_PROCID") == "" {
		return nil, fmt.Errorf("not a SLURM task: SLURM_PROCID is unset (start it with srun)")
	}
	size := "SLURM_NTASKS"
	if getenv(size) == "" {
		size = "SLURM_NPROCS"
	}
	var err error
	if t.Size, err = positiveVar(getenv, size, 0); err != nil {
		return nil, err
	}
	if t.Size == 0 {
		return nil, fmt.Errorf("SLURM_PROCID is set but SLURM_NTASKS is not")
	}
	if t.Rank, err = indexVar(getenv, "SLURM_PROCID", t.Size); err != nil {
		return nil, err
	}
	if t.Local, err = indexVar(getenv, "SLURM_LOCALID", t.Size); err != nil {
		return nil, err
	}
	list := getenv("SLURM_STEP_NODELIST")
	if list == "" {
		list = getenv("SLURM_JOB_NODELIST")
	}
	if list == "" {
		return nil, fmt.Errorf("SLURM_PROCID is set but SLURM_STEP_NODELIST is not")
	}
	if t.Nodes, err = ExpandNodeList(list); err != nil {
		return nil, fmt.Errorf("SLURM_STEP_NODELIST: %w", err)
	}
	if t.NodeID, err = indexVar(getenv, "SLURM_NODEID", len(t.Nodes)); err != nil {
		return nil, err
	}
	for _, v := range []string{"SLURM_STEP_TASKS_PER_NODE", "SLURM_TASKS_PER_NODE"} {
		if s := getenv(v); s != "" {
			c, err := ParseCounts(s, len(t.Nodes))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", v, err)
			}
			t.LocalSize = c[t.NodeID]
			break
		}
	}
	return t, nil
}

// indexVar reads a required integer in [0, n).
func indexVar(getenv Getenv, name string, n int) (int, error) {
	s := getenv(name)
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 || v >= n {
		return 0, fmt.Errorf("%s=%q: want an integer in [0, %d)", name, s, n)
	}
	return v, nil
}
