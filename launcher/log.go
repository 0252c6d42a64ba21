package launcher

import "fmt"

// logger writes the launcher's own lines ("gorun: ...") to the stderr dest,
// so they never land inside a rank's line.
type logger struct {
	d              *dest
	verbose, quiet bool
}

// debugf logs a step of the launcher when Config.Verbose is set.
func (l *logger) debugf(format string, args ...any) {
	if l.verbose {
		l.d.write([]byte("gorun: " + fmt.Sprintf(format, args...) + "\n"))
	}
}

// warnf logs a problem that does not fail the job, unless Config.Quiet.
func (l *logger) warnf(format string, args ...any) {
	if !l.quiet {
		l.d.write([]byte("gorun: " + fmt.Sprintf(format, args...) + "\n"))
	}
}
