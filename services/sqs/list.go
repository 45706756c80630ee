package sqs

// links are the pointers an element carries to be in one list.
type links[T any] struct{ prev, next *T }

// list is an intrusive doubly linked list: each element carries its own
// links, so joining a list allocates nothing and leaving it from the middle
// (a delete by receipt handle, a group that stops being available) is O(1).
// at returns an element's links for this list, so that one element can be in
// several lists at once: a message is in the ready list and the retention
// list through two sets of links.
//
// Invariant: an element is in the list exactly when it is head or its links
// point from or to another element of the list; remove clears its links.
type list[T any] struct {
	head, tail *T
	n          int
	at         func(*T) *links[T]
}

func (l *list[T]) pushBack(e *T) {
	el := l.at(e)
	el.prev, el.next = l.tail, nil
	if l.tail != nil {
		l.at(l.tail).next = e
	} else {
		l.head = e
	}
	l.tail = e
	l.n++
}

// remove takes e, which must be in l, out of it.
func (l *list[T]) remove(e *T) {
	el := l.at(e)
	if el.prev != nil {
		l.at(el.prev).next = el.next
	} else {
		l.head = el.next
	}
	if el.next != nil {
		l.at(el.next).prev = el.prev
	} else {
		l.tail = el.prev
	}
	el.prev, el.next = nil, nil
	l.n--
}
