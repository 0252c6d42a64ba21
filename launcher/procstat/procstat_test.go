package procstat

import (
	"os"
	"testing"
)

func TestParseStatCPU(t *testing.T) {
	tests := []struct {
		name    string
		stat    string
		want    float64
		wantErr bool
	}{
		{"plain", "42 (pi) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 100 1000 200", 3.0, false},
		{"name with spaces and parens", "7 (a) b (c) R 1 7 7 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 1 1 1", 0.03, false},
		{"no name", "7 a R 1", 0, true},
		{"too short", "7 (a) R 1 2 3", 0, true},
		{"bad number", "7 (a) R 1 7 7 0 -1 0 0 0 0 0 x 2 0 0", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseStatCPU([]byte(tt.stat))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("cpu = %v s, want %v", got, tt.want)
			}
		})
	}
}

func TestProcField(t *testing.T) {
	status := []byte("Name:\tpi\nVmHWM:\t   9000 kB\nVmRSS:\t    8804 kB\nThreads:\t5\n")
	io := []byte("rchar: 4096\nwchar: 123\nsyscr: 9\n")
	tests := []struct {
		file []byte
		key  string
		want int64
	}{{status, "VmRSS:", 8804}, {status, "VmHWM:", 9000}, {status, "VmSwap:", 0}, {io, "rchar:", 4096}, {io, "wchar:", 123}}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if got := Field(tt.file, tt.key); got != tt.want {
				t.Errorf("Field(%s) = %d, want %d", tt.key, got, tt.want)
			}
		})
	}
}

func TestReadProcSelf(t *testing.T) {
	s, _, err := Read(os.Getpid(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.RSS <= 0 || s.PeakRSS < s.RSS || s.CPUSec < 0 {
		t.Errorf("self sample %+v: want rss > 0, peak >= rss", s)
	}
	if _, _, err := Read(1<<30, nil); err == nil {
		t.Error("sampling a pid that does not exist: want an error")
	}
}
