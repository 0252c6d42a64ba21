package procstat

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat.
// Linux fixes it at 100 on every architecture gorun builds for.
const clockTicks = 100

// Sample is what one read of /proc/PID/stat and /proc/PID/status says.
type Sample struct {
	CPUSec  float64 // utime+stime so far, seconds (every thread of the process)
	RSS     int64   // resident set, bytes (VmRSS); 0 for a zombie
	PeakRSS int64   // high-water mark of the resident set, bytes (VmHWM)
	Read    int64   // bytes this sample read from /proc (they count in rchar)
}

// Read samples process pid; buf is scratch space reused across calls and
// returned, grown as needed. A process that is gone is an error.
func Read(pid int, buf []byte) (Sample, []byte, error) {
	var s Sample
	b, err := readInto(fmt.Sprintf("/proc/%d/stat", pid), buf)
	if err != nil {
		return s, b, err
	}
	s.Read += int64(len(b))
	if s.CPUSec, err = parseStatCPU(b); err != nil {
		return s, b, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	b, err = readInto(fmt.Sprintf("/proc/%d/status", pid), b)
	if err != nil {
		return s, b, err
	}
	s.Read += int64(len(b))
	s.RSS = Field(b, "VmRSS:") << 10
	s.PeakRSS = Field(b, "VmHWM:") << 10
	return s, b, nil
}

// readInto reads a small /proc file into buf, growing it as needed.
func readInto(path string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf, err
	}
	defer f.Close()
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil || n == 0 {
			return buf, nil
		}
	}
}

// parseStatCPU returns utime+stime in seconds from the text of
// /proc/PID/stat. The command name (field 2) may hold spaces and
// parentheses, so fields are counted from the last ')'.
func parseStatCPU(b []byte) (float64, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("no command name in %q", b)
	}
	// After ") " come fields 3 (state) onwards; utime is 14, stime 15.
	fields := bytes.Fields(b[i+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("%d fields after the command name, want 13 or more", len(fields))
	}
	utime, err1 := strconv.ParseInt(string(fields[11]), 10, 64)
	stime, err2 := strconv.ParseInt(string(fields[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bad utime %q or stime %q", fields[11], fields[12])
	}
	return float64(utime+stime) / clockTicks, nil
}

// Field returns the number on the line of a /proc file that starts
// with key ("VmRSS:   123 kB" in status, "rchar: 456" in io), or 0 when the
// key is missing (a zombie has no VmRSS).
func Field(b []byte, key string) int64 {
	i := bytes.Index(b, []byte(key))
	if i < 0 {
		return 0
	}
	line := b[i+len(key):]
	if j := bytes.IndexByte(line, '\n'); j >= 0 {
		line = line[:j]
	}
	f := bytes.Fields(line)
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseInt(string(f[0]), 10, 64)
	return v
}
