package tui

// Status messages about a complaint (a copy, an action) belong to it: when
// the officer moves to another complaint, the message goes, so it never
// seems to be about the one in front (App.updateKey). Screens about one
// complaint say which.

// CurrentRef is the complaint the queue is on: the selected row's.
func (q *queueModel) CurrentRef() string { return q.SelectedRef() }

// CurrentRef is the complaint shown.
func (d *detailModel) CurrentRef() string { return d.ref }
