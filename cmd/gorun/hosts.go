package main

import (
	"errors"
	"os"

	"github.com/gorun-dev/gorun/launcher"
	"github.com/gorun-dev/gorun/launcher/hosts"
)

// parseHosts fills the multi-host part of cfg from -H, --hostfile and
// --map-by.
func parseHosts(cfg *launcher.Config, list, file, mapBy string) error {
	var err error
	if cfg.MapBy, err = hosts.ParseMapping(mapBy); err != nil {
		return err
	}
	switch {
	case list != "" && file != "":
		return errors.New("-H and --hostfile contradict each other")
	case list != "":
		cfg.Hosts, err = hosts.ParseList(list)
	case file != "":
		var f *os.File
		if f, err = os.Open(file); err != nil {
			return err
		}
		defer f.Close()
		cfg.Hosts, err = hosts.ParseFile(file, f)
	}
	return err
}
