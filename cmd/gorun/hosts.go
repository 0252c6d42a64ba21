package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/gorun-dev/gorun/comm/natsbus"

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

// tlsFiles are the paths of --tls-ca, --tls-cert and --tls-key.
type tlsFiles struct{ ca, cert, key string }

// read sets cfg.RouteTLS from the files, or to a CA made for the job
// when only --tls is given. The files' contents reach the agents on
// their stdin, never their argv.
func (f tlsFiles) read(cfg *launcher.Config, on bool) error {
	if f.ca == "" && f.cert == "" && f.key == "" {
		if on {
			cfg.RouteTLS = &natsbus.RouteTLS{}
		}
		return nil
	}
	if f.ca == "" || f.cert == "" || f.key == "" {
		return errors.New("--tls-ca, --tls-cert and --tls-key go together")
	}
	r := &natsbus.RouteTLS{}
	for _, p := range []struct {
		path string
		dst  *[]byte
	}{{f.ca, &r.CA}, {f.cert, &r.Cert}, {f.key, &r.Key}} {
		b, err := os.ReadFile(p.path)
		if err != nil {
			return err
		}
		*p.dst = b
	}
	if _, err := r.Config(); err != nil {
		return fmt.Errorf("--tls-ca %s, --tls-cert %s, --tls-key %s: %v", f.ca, f.cert, f.key, err)
	}
	cfg.RouteTLS = r
	return nil
}
