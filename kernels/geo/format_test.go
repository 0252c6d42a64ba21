package geo

import "testing"

func TestAppendRepr(t *testing.T) {
	tests := []struct {
		in   float64
		want string // Python 3 repr(float)
	}{
		{0, "0.0"},
		{3487.313648844416, "3487.313648844416"},
		{12, "12.0"},
		{1234567, "1234567.0"},
		{0.0001, "0.0001"},
		{0.00001, "1e-05"},
		{1.5e-7, "1.5e-07"},
		{1e16, "1e+16"},
		{123456789012345.6, "123456789012345.6"},
		{-2.5, "-2.5"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := string(AppendRepr(nil, tt.in)); got != tt.want {
				t.Errorf("AppendRepr(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
