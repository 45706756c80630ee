package lambdaruntime

import (
	"fmt"
	"os"
	"strings"
	"syscall"
)

// limitTmp mounts a tmpfs of EphemeralMB at the environment's private /tmp (its TMPDIR), so a
// function writing past EphemeralStorage gets ENOSPC ("no space left on device") as on AWS.
// Mounting needs CAP_SYS_ADMIN (root); without it the directory stays a plain one and the
// returned note, for the environment's log, says why. The tmpfs is charged to the environment's
// memory cgroup as it fills (kernel accounting of shmem pages), so a /tmp holding more than
// MemorySize minus what the runtime uses ends in Runtime.OutOfMemory, not ENOSPC.
func (ev *env) limitTmp() string {
	mb := ev.fn.EphemeralMB
	if mb <= 0 {
		mb = 512
	}
	opts := fmt.Sprintf("size=%dm,mode=0700", mb)
	if err := syscall.Mount("tmpfs", ev.tmpDir, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, opts); err != nil {
		return fmt.Sprintf("fogbank: /tmp not limited to %d MB (mounting a tmpfs on %s: %v)", mb, ev.tmpDir, err)
	}
	ev.tmpMounted = true
	return ""
}

// unmountTmp detaches the environment's tmpfs (its contents go with it).
func (ev *env) unmountTmp() {
	if ev.tmpMounted {
		_ = syscall.Unmount(ev.tmpDir, syscall.MNT_DETACH)
	}
}

// unmountUnder detaches every mount below dir (environments of an engine that did not Close).
func unmountUnder(dir string) {
	b, err := os.ReadFile("/proc/self/mounts")
	if err != nil {
		return
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) > 1 && strings.HasPrefix(f[1], dir+"/") {
			_ = syscall.Unmount(f[1], syscall.MNT_DETACH)
		}
	}
}
