package tui

// errText is an error of the cache or the network in the officer's words:
// what happened and what to do (the sync package's explanations), never a
// Go error with URLs, sockets or SQL. The raw error goes to the debug log.
func (c *Context) errText(err error) string {
	if isNotFound(err) {
		return c.M().Errors.Notfound
	}
	c.logError("workstation", err)
	return explain(err, c.Lang)
}
