package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// sameFile reports whether two files are byte-identical.
func sameFile(got, want string) error {
	g, err := os.ReadFile(got)
	if err != nil {
		return err
	}
	w, err := os.ReadFile(want)
	if err != nil {
		return err
	}
	if !bytes.Equal(g, w) {
		return fmt.Errorf("%s differs from %s", got, want)
	}
	return nil
}

// sameCSV compares "id,value" CSVs row by row: ids equal, values within
// rel relative difference.
func sameCSV(got, want string, rel float64) error {
	g, err := os.ReadFile(got)
	if err != nil {
		return err
	}
	w, err := os.ReadFile(want)
	if err != nil {
		return err
	}
	gl := strings.Split(strings.TrimSpace(string(g)), "\n")
	wl := strings.Split(strings.TrimSpace(string(w)), "\n")
	if len(gl) != len(wl) {
		return fmt.Errorf("%s has %d lines, %s has %d", got, len(gl), want, len(wl))
	}
	for i := 1; i < len(gl); i++ {
		gid, gv, _ := strings.Cut(gl[i], ",")
		wid, wv, _ := strings.Cut(wl[i], ",")
		a, err1 := strconv.ParseFloat(gv, 64)
		b, err2 := strconv.ParseFloat(wv, 64)
		if gid != wid || err1 != nil || err2 != nil {
			return fmt.Errorf("line %d: %q, want %q", i+1, gl[i], wl[i])
		}
		if d := math.Abs(a - b); d > rel*math.Max(math.Abs(a), math.Abs(b)) {
			return fmt.Errorf("line %d: %s: %v, want %v", i+1, gid, a, b)
		}
	}
	return nil
}
