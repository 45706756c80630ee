package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// fdatasync syncs f's data, as Pebble syncs Fogbank's write-ahead log.
func fdatasync(f *os.File) error { return unix.Fdatasync(int(f.Fd())) }
