package store

// ReportBackgroundErrors makes report receive the errors of the store's
// background work: the fill of unknown search hashes and the merge of the
// search index. They fail no command and lose nothing (the work is taken
// up again by a later run), but they must not pass unseen: the workstation
// writes them to its debug log. report may be called from any goroutine;
// nil stops reporting.
func (s *Store) ReportBackgroundErrors(report func(what string, err error)) {
	if report == nil {
		s.reportBackground.Store(nil)
		return
	}
	s.reportBackground.Store(&report)
}

// backgroundError hands err of the background work what to the reporter.
func (s *Store) backgroundError(what string, err error) {
	if report := s.reportBackground.Load(); report != nil {
		(*report)(what, err)
	}
}
