package monitor

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat.
// Linux fixes it at 100 on every architecture gorun builds for.
const clockTicks = 100

// procSample is what one read of /proc/PID/stat and /proc/PID/status says.
type procSample struct {
	cpuSec  float64 // utime+stime so far, seconds (every thread of the process)
	rss     int64   // resident set, bytes (VmRSS)
	peakRSS int64   // high-water mark of the resident set, bytes (VmHWM)
	read    int64   // bytes this sample read from /proc (they count in rchar)
}

// readProc samples process pid; buf is scratch space reused across calls.
func readProc(pid int, buf []byte) (procSample, []byte, error) {
	var s procSample
	b, err := readInto(fmt.Sprintf("/proc/%d/stat", pid), buf)
	if err != nil {
		return s, b, err
	}
	s.read += int64(len(b))
	if s.cpuSec, err = parseStatCPU(b); err != nil {
		return s, b, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	b, err = readInto(fmt.Sprintf("/proc/%d/status", pid), b)
	if err != nil {
		return s, b, err
	}
	s.read += int64(len(b))
	s.rss = procField(b, "VmRSS:") << 10
	s.peakRSS = procField(b, "VmHWM:") << 10
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

// procField returns the number on the line of a /proc file that starts
// with key ("VmRSS:   123 kB" in status, "rchar: 456" in io), or 0 when the
// key is missing (a zombie has no VmRSS).
func procField(b []byte, key string) int64 {
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

// ioCounters are the rchar and wchar lines of /proc/PID/io: bytes passed
// to read and write system calls of every kind (files, pipes, sockets).
type ioCounters struct {
	read, written int64
	self          int64 // bytes of the io files read to get these counters
}

// launcherIO sums the io counters of this process's live threads
// (/proc/self/task/TID/io). The process-wide /proc/self/io will not do:
// the kernel adds a reaped child's counters to its parent's, so it would
// count every rank's file reads once the ranks have exited.
func launcherIO() (ioCounters, error) {
	dir, err := os.Open("/proc/self/task")
	if err != nil {
		return ioCounters{}, err
	}
	names, err := dir.Readdirnames(-1)
	dir.Close()
	if err != nil {
		return ioCounters{}, err
	}
	var c ioCounters
	for _, tid := range names {
		b, err := os.ReadFile("/proc/self/task/" + tid + "/io")
		if err != nil {
			continue // the thread exited
		}
		c.read += procField(b, "rchar:")
		c.written += procField(b, "wchar:")
		c.self += int64(len(b))
	}
	return c, nil
}
