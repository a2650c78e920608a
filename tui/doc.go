// Package tui is the officer workstation's terminal interface: a Bubble Tea
// program over the local cache (package store) that shows the zone's queue,
// one complaint field by field for copying into ISLP, the officer's actions
// (claim, release, handle, reject, forward) and the sync state.
//
// Structure (see shared/STYLE.md): one root model (App) routes messages to
// small screens (queue, detail, dialogs, help); every screen is a tea.Model
// plus SetSize and its own help bindings, and reads a shared *Context
// (size, language, theme styles, key map, officer, zone). All key bindings
// live in one KeyMap from which the footer and the `?` help are generated.
// Update never does I/O: queries, actions, copies and audit writes are
// tea.Cmds returning typed messages; answers carry a generation id so stale
// ones are dropped. Every string that comes from complaint data is passed
// through textsafe before it is rendered or copied.
package tui
