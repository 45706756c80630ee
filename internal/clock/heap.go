package clock

// timer is one pending AfterFunc. It lives in a Process's heap until it fires
// or is stopped.
//
// Invariant (under Process.mu): index >= 0 exactly when the timer is in the
// heap, i.e. pending. Popping or removing it sets index to -1, and only the
// goroutine that did so may read or clear f afterwards, so f needs no lock of
// its own.
type timer struct {
	when  int64 // due time: nanoseconds of clock time since Process.base
	seq   uint64
	index int
	f     func()
	p     *Process
}

// Stop implements Timer.
func (t *timer) Stop() bool {
	p := t.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.index < 0 {
		return false
	}
	p.timers.remove(t.index)
	t.f = nil // let the closure be collected even if the caller keeps t
	return true
}

// timerHeap is a binary min-heap of timers ordered by (when, seq), so timers
// due at the same instant fire in the order they were armed. It keeps each
// timer's index current, which makes Stop an O(log n) removal instead of
// leaving dead entries behind: services arm and stop a timer per in-flight
// message, and a heap that only grew would hold every stopped one.
//
// It is written out rather than built on container/heap, whose interface{}
// Push/Pop allocate per call and whose method calls are indirect.
type timerHeap []*timer

func (h timerHeap) less(i, j int) bool {
	a, b := h[i], h[j]
	return a.when < b.when || (a.when == b.when && a.seq < b.seq)
}

func (h timerHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

func (h *timerHeap) push(t *timer) {
	t.index = len(*h)
	*h = append(*h, t)
	h.up(t.index)
}

// pop removes and returns the earliest timer. The heap must not be empty.
func (h *timerHeap) pop() *timer {
	return h.remove(0)
}

// remove takes out the timer at index i and returns it with index -1.
func (h *timerHeap) remove(i int) *timer {
	old := *h
	n := len(old) - 1
	t := old[i]
	if i != n {
		old.swap(i, n)
	}
	old[n] = nil
	*h = old[:n]
	if i != n {
		if !h.down(i) {
			h.up(i)
		}
	}
	t.index = -1
	// Give memory back after a burst (a million timers armed, then stopped).
	if c := cap(*h); c > 1024 && len(*h) < c/4 {
		*h = append(make(timerHeap, 0, c/2), *h...)
	}
	return t
}

func (h timerHeap) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			return
		}
		h.swap(i, parent)
		i = parent
	}
}

// down sifts the element at i down and reports whether it moved.
func (h timerHeap) down(i int) bool {
	start := i
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		j := l
		if r := l + 1; r < n && h.less(r, l) {
			j = r
		}
		if !h.less(j, i) {
			break
		}
		h.swap(i, j)
		i = j
	}
	return i > start
}
