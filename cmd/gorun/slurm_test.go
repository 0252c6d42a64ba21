package main

import (
	"reflect"
	"testing"

	"github.com/gorun-dev/gorun/launcher"
	"github.com/gorun-dev/gorun/launcher/hosts"
)

func TestUseAllocation(t *testing.T) {
	alloc := map[string]string{
		"SLURM_JOB_ID": "9", "SLURM_JOB_NODELIST": "n[1-2]", "SLURM_TASKS_PER_NODE": "2(x2)",
		"SLURM_NTASKS": "3", "SLURM_JOB_CPUS_PER_NODE": "2(x2)",
	}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for key, val := range alloc {
			m[key] = val
		}
		m[k] = v
		return m
	}
	tests := []struct {
		name    string
		env     map[string]string
		cfg     launcher.Config
		sizeSet bool
		hosts   []hosts.Host
		size    int
		slurm   bool
	}{
		{"allocation", alloc, launcher.Config{}, false, []hosts.Host{{Name: "n1", Slots: 2}, {Name: "n2", Slots: 2}}, 3, true},
		{"-n given", alloc, launcher.Config{Size: 4}, true, []hosts.Host{{Name: "n1", Slots: 2}, {Name: "n2", Slots: 2}}, 4, true},
		{"-H given", alloc, launcher.Config{Hosts: []hosts.Host{{Name: "n2", Slots: 1}}}, false, []hosts.Host{{Name: "n2", Slots: 1}}, 1, true},
		{"GORUN_SLURM=0", with("GORUN_SLURM", "0"), launcher.Config{}, false, nil, 0, false},
		{"goroutines", alloc, launcher.Config{Mode: launcher.ModeGoroutines}, false, nil, 0, false},
		{"no allocation", map[string]string{}, launcher.Config{}, false, nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			if err := useAllocation(&cfg, func(k string) string { return tt.env[k] }, tt.sizeSet); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(cfg.Hosts, tt.hosts) || cfg.Size != tt.size || (cfg.Slurm != nil) != tt.slurm {
				t.Fatalf("hosts %v size %d slurm %v; want %v %d %v", cfg.Hosts, cfg.Size, cfg.Slurm != nil, tt.hosts, tt.size, tt.slurm)
			}
		})
	}
	bad := with("SLURM_TASKS_PER_NODE", "2")
	var cfg launcher.Config
	if err := useAllocation(&cfg, func(k string) string { return bad[k] }, false); err == nil {
		t.Fatal("a tasks-per-node list shorter than the node list was accepted")
	}
}
