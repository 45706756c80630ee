//go:build race

package eventpattern

// raceEnabled: the race detector makes Match allocate, so allocation checks skip.
const raceEnabled = true
