package main

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// Log is what makes the no-op server a durable one (-wal): every request's
// body is appended to a file and fdatasynced before the request is
// answered, with group commit — one goroutine writes whatever arrived
// since its last sync and syncs it, and every request it covered is
// released together. Nothing is ever read back.
//
// It is the floor of any server that acknowledges only what is on disk,
// as issue 3 asks of Fogbank's default mode: the least work durability can
// add to the no-op's, on the same disk and cores. The ratio of durable
// no-op to no-op says what syncing costs on the machine; Fogbank durable
// against the durable no-op says what Fogbank's own work costs on top.
//
// It gets the advantages Fogbank's store gives its write-ahead log, so the
// floor is not set lower by a handicap: the file is written full of zeros
// when opened, so that a sync is an overwrite of allocated blocks (as
// pebblestore's walFS does), and the next sync waits until interval has
// passed since the last one ended, so that requests arriving meanwhile
// share it (pebblestore's walMinSyncInterval). When the log reaches the
// end of the file it starts again at the front: no one reads it.
type Log struct {
	f        *os.File
	size     int64
	interval time.Duration

	kick chan struct{} // a request is waiting for a sync; capacity 1
	quit chan struct{} // closed by Close
	done chan struct{} // closed when the sync loop has ended

	mu struct {
		sync.Mutex
		buf    []byte        // appended since the loop last took it
		synced chan struct{} // closed once buf's bytes are synced
		err    error         // the first write or sync error; then every Commit fails
	}
}

// OpenLog creates (or truncates) the log file at path, zero-filled to size
// bytes and synced, and starts its sync loop.
func OpenLog(path string, size int64, interval time.Duration) (*Log, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("noop log: %w", err)
	}
	zeros := make([]byte, 1<<20)
	for off := int64(0); off < size; off += int64(len(zeros)) {
		if _, err := f.Write(zeros[:min(int64(len(zeros)), size-off)]); err != nil {
			f.Close()
			return nil, fmt.Errorf("noop log: zero-filling %s: %w", path, err)
		}
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("noop log: %w", err)
	}
	l := &Log{f: f, size: size, interval: interval,
		kick: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	l.mu.synced = make(chan struct{})
	go l.loop()
	return l, nil
}

// Commit appends p to the log and returns once a sync covering it is done.
func (l *Log) Commit(p []byte) error {
	l.mu.Lock()
	if l.mu.err != nil {
		err := l.mu.err
		l.mu.Unlock()
		return err
	}
	l.mu.buf = append(l.mu.buf, p...)
	synced := l.mu.synced
	l.mu.Unlock()
	select {
	case l.kick <- struct{}{}:
	default: // the loop is already due to run
	}
	select {
	case <-synced:
	case <-l.done:
		return errors.New("noop log: closed")
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.mu.err
}

// Close stops the sync loop and closes the file. Commits still waiting fail.
func (l *Log) Close() error {
	close(l.quit)
	<-l.done
	return l.f.Close()
}

func (l *Log) loop() {
	defer close(l.done)
	var (
		off   int64
		spare []byte
		last  time.Time
	)
	for {
		select {
		case <-l.kick:
		case <-l.quit:
			return
		}
		if wait := l.interval - time.Since(last); wait > 0 {
			time.Sleep(wait)
		}
		l.mu.Lock()
		data, synced := l.mu.buf, l.mu.synced
		l.mu.buf, l.mu.synced = spare[:0], make(chan struct{})
		l.mu.Unlock()

		if off+int64(len(data)) > l.size {
			off = 0
		}
		_, err := l.f.WriteAt(data, off)
		if err == nil {
			err = fdatasync(l.f)
		}
		off += int64(len(data))
		last = time.Now()
		if err != nil {
			l.mu.Lock()
			l.mu.err = fmt.Errorf("noop log: %w", err)
			l.mu.Unlock()
		}
		close(synced)
		spare = data
	}
}
