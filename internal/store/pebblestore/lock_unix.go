//go:build unix

package pebblestore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/fogbank/fogbank/internal/store"
)

// lockFile is the name of the file in the data directory that Open flocks.
// It is ours, not Pebble's (Pebble keeps its own LOCK inside its
// subdirectory), so the error a second process sees is store.ErrLocked with
// the path rather than whatever Pebble reports.
const lockFile = "LOCK"

// dirLock is an exclusive flock on <dir>/LOCK, held for the life of a Store.
// flock locks belong to the open file description, so a second Open of the
// same directory fails even within one process, and the kernel drops the
// lock when the process dies: a crashed Fogbank never leaves a stale lock.
type dirLock struct{ f *os.File }

func lockDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s", store.ErrLocked, dir)
		}
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	return &dirLock{f: f}, nil
}

// release drops the lock. Closing the file releases the flock.
func (l *dirLock) release() error { return l.f.Close() }
