package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	tests := []struct {
		name string
		args string
		n    int
		want string
		err  string
	}{
		{"no template", "prog --k 3", 4, "prog --k 3", ""},
		{"n", "prog --dup {n}", 4, "prog --dup 4", ""},
		{"n times K", "prog --samples {n*1000}", 3, "prog --samples 3000", ""},
		{"inside an argument", "prog --tracts=synth:{n*500}:7", 2, "prog --tracts=synth:1000:7", ""},
		{"tmp", "prog --out {tmp}/o.csv", 2, "prog --out /scratch/o.csv", ""},
		{"rep", "prog {rep:a.txt} b", 3, "prog a.txt a.txt a.txt b", ""},
		{"rep times K", "prog {rep*2:d}", 2, "prog d d d d", ""},
		{"unknown template", "prog {m}", 2, "", "bad template {m}"},
		{"zero multiplier", "prog {n*0}", 2, "", "bad template {n*0}"},
		{"rep inside an argument", "prog x{rep:a}", 2, "", "bad template {rep:a}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := workload{Name: "w", Args: strings.Fields(tt.args)}
			got, err := w.expand(tt.n, "/scratch")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("got %q, want %q", g, tt.want)
			}
		})
	}
}

func TestParseWorkload(t *testing.T) {
	tests := []struct {
		spec, name, err string
		weak            bool
	}{
		{"pi=bin/pi --samples {n*1000}", "pi", "", true},
		{"wc=bin/wordcount a b", "wc", "", false},
		{"wc=bin/wordcount --out {tmp}/x", "wc", "", false},
		{"=bin/pi", "", "want NAME=PROGRAM", false},
		{"a b=bin/pi", "", "want NAME=PROGRAM", false},
		{"pi=", "", "want NAME=PROGRAM", false},
		{"pi", "", "want NAME=PROGRAM", false},
		{"pi=bin/pi {x}", "", "bad template", false},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			w, err := parseWorkload(tt.spec)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || w.Name != tt.name || w.sizeDependent() != tt.weak {
				t.Errorf("got %+v (size-dependent %v), %v; want name %q, size-dependent %v", w, w.sizeDependent(), err, tt.name, tt.weak)
			}
		})
	}
}

func TestRanks(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []int
		err  string
	}{
		{"list", "1,2,3,4", []int{1, 2, 3, 4}, ""},
		{"spaces", "1, 8", []int{1, 8}, ""},
		{"not from 1", "2,4", nil, "must start at 1"},
		{"not increasing", "1,4,2", nil, "must increase"},
		{"zero", "0,1", nil, "not a rank count"},
		{"word", "1,x", nil, "not a rank count"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseRanks(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
	for max, want := range map[int][]int{1: {1}, 8: {1, 2, 4, 8}, 6: {1, 2, 4, 6}} {
		if got := powersOfTwo(max); !slices.Equal(got, want) {
			t.Errorf("powersOfTwo(%d) = %v, want %v", max, got, want)
		}
	}
}

// Templates turn one command line into a family of problem sizes.
func Example_templates() {
	w, _ := parseWorkload("wc=bin/wordcount --top {n*10} --out {tmp}/wc.tsv {rep:data}")
	for _, n := range []int{1, 3} {
		args, _ := w.expand(n, "/scratch")
		fmt.Println(strings.Join(args, " "))
	}
	// Output:
	// bin/wordcount --top 10 --out /scratch/wc.tsv data
	// bin/wordcount --top 30 --out /scratch/wc.tsv data data data
}
