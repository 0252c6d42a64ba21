package atomicfile

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// temp is a temporary file that becomes the target on commit.
type temp interface {
	file() *os.File
	// commit puts the file at target: a link when fresh (target did not
	// exist), else a rename over it.
	commit(target string, fresh bool) error
	// discard removes what a failed write left.
	discard()
}

// namedTemp is a hidden ".NAME.tmp*" file beside the target, renamed over
// it on commit.
type namedTemp struct {
	f    *os.File
	done bool
}

func newNamedTemp(dir, target string) (*namedTemp, error) {
	for {
		f, err := os.OpenFile(tempName(dir, target), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return &namedTemp{f: f}, nil
	}
}

// tempName is a fresh hidden name for target in dir. (os.CreateTemp would
// create the file with mode 0600, not 0666 less the umask.)
func tempName(dir, target string) string {
	return filepath.Join(dir, "."+filepath.Base(target)+".tmp"+strconv.FormatUint(rand.Uint64(), 36))
}

func (t *namedTemp) file() *os.File { return t.f }

func (t *namedTemp) commit(target string, fresh bool) error {
	if err := os.Rename(t.f.Name(), target); err != nil {
		return err
	}
	t.done = true
	return nil
}

func (t *namedTemp) discard() {
	if !t.done {
		os.Remove(t.f.Name())
	}
}
