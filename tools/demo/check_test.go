package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSameCSV(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ref := write("ref.csv", "GEOID,distance_m\n1,100.0\n2,0.0\n")
	cases := []struct {
		name, body string
		ok         bool
	}{
		{"identical", "GEOID,distance_m\n1,100.0\n2,0.0\n", true},
		{"within 1e-9", "GEOID,distance_m\n1,100.00000000001\n2,0\n", true},
		{"too far", "GEOID,distance_m\n1,100.001\n2,0\n", false},
		{"other id", "GEOID,distance_m\n3,100.0\n2,0.0\n", false},
		{"missing row", "GEOID,distance_m\n1,100.0\n", false},
		{"not a number", "GEOID,distance_m\n1,abc\n2,0\n", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := sameCSV(write(tc.name+".csv", tc.body), ref, 1e-9)
			if (err == nil) != tc.ok {
				t.Errorf("sameCSV = %v, want ok=%v", err, tc.ok)
			}
		})
	}
	if err := sameFile(ref, ref); err != nil {
		t.Errorf("sameFile(ref, ref) = %v", err)
	}
	if err := sameFile(ref, write("other", "x")); err == nil {
		t.Error("sameFile of different files = nil")
	}
}
