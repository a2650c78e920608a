package tui

// errText is an error of the cache or the network in the officer's words:
// what happened and what to do (the sync package's explanations), never a
// Go error with URLs, sockets or SQL. The raw error goes to the debug log.
func (c *Context) errText(err error) string {
	if isNotFound(err) {
		return c.T("err.notfound")
	}
	c.logError("workstation", err)
	return explain(err, c.Lang)
}

func init() {
	addMessages(map[string][4]string{
		"err.notfound": {"plainte absente du cache local — synchronisez (r)", "klacht niet in de lokale cache — synchroniseer (r)", "Anzeige nicht im lokalen Cache — synchronisieren (r)", "complaint not in the local cache — sync (r)"},
	})
}
