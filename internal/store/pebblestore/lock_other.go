//go:build !unix

package pebblestore

// dirLock is a no-op where flock does not exist. Two processes still cannot
// open one directory: Pebble locks its own LOCK file (LockFileEx on
// Windows) and Open fails, only with Pebble's error rather than
// store.ErrLocked.
type dirLock struct{}

func lockDir(dir string) (*dirLock, error) { return &dirLock{}, nil }

func (l *dirLock) release() error { return nil }
