package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	_ "time/tzdata" // officers read times in Brussels time, on any machine
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"guichet/complaint"
	"guichet/store"
)

// brussels is the time zone of the text output, loaded at its first use
// (complaint.Brussels), not at every start.
func brussels() *time.Location { return complaint.Brussels() }

// The --json output is stable: fields are only ever added, never renamed or
// removed. Times are RFC 3339 in UTC. Values are the data as filed (not
// sanitized, so scripts get the real text), but every control and format
// character (C0, DEL, C1, bidi overrides, zero-width characters) is written
// as a \uXXXX escape, so printing the JSON on a terminal is harmless.
//
//	list:      [ listRow, ... ]                 (an empty list is [])
//	show:      complaint.Record (the API's complaint JSON, see DESIGN.md)
//	conflicts: [ conflictRow, ... ]
//	claim, release, handle, reject, forward, correct-pv, take-over:
//	           actionResult

// listRow is one complaint of `guichet list --json`.
type listRow struct {
	Reference    string             `json:"reference"`
	ReceivedAt   time.Time          `json:"received_at"`
	UpdatedAt    time.Time          `json:"updated_at"`
	FactType     string             `json:"fact_type"`
	Municipality string             `json:"municipality"`
	PostalCode   string             `json:"postal_code"`
	Complainant  string             `json:"complainant"`
	Status       complaint.Status   `json:"status"`
	ClaimedBy    *complaint.Officer `json:"claimed_by"` // null when nobody holds it
	Pending      bool               `json:"pending"`    // actions queued, not yet confirmed
	Version      int64              `json:"version"`
}

func listJSON(rows []store.Row) []listRow {
	out := make([]listRow, 0, len(rows))
	for _, r := range rows {
		lr := listRow{Reference: r.Reference, ReceivedAt: r.ReceivedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
			FactType: r.FactType, Municipality: r.Municipality, PostalCode: r.PostalCode,
			Complainant: r.Complainant, Status: r.Status, Pending: r.Pending, Version: r.Version}
		if r.ClaimedByID != "" {
			lr.ClaimedBy = &complaint.Officer{ID: r.ClaimedByID, Name: r.ClaimedByName}
		}
		out = append(out, lr)
	}
	return out
}

// conflictRow is one refused action of `guichet conflicts --json`.
type conflictRow struct {
	ID        int64              `json:"id"`
	Reference string             `json:"reference"`
	Action    complaint.Action   `json:"action"`
	Code      string             `json:"code"`
	Message   string             `json:"message"`
	Holder    *complaint.Officer `json:"holder"` // who holds the complaint, null if nobody
	Status    complaint.Status   `json:"status"`
	QueuedAt  time.Time          `json:"queued_at"`
	At        time.Time          `json:"at"`
}

// actionResult is the outcome of an action command with --json.
type actionResult struct {
	Reference string               `json:"reference"`
	Action    complaint.ActionType `json:"action"`
	// Outcome: confirmed (the portal accepted it), queued (stored, not yet
	// sent: see problem), conflict (the portal refused it: see conflict),
	// refused (the local rules refused it: see code or fields), not_found,
	// error.
	Outcome  string            `json:"outcome"`
	Status   complaint.Status  `json:"status,omitempty"` // the complaint's status now
	Message  string            `json:"message,omitempty"`
	Code     string            `json:"code,omitempty"`    // the rule that refused it
	Fields   map[string]string `json:"fields,omitempty"`  // field → problem
	Problem  string            `json:"problem,omitempty"` // why it was not sent now
	Conflict *conflictRow      `json:"conflict,omitempty"`
	Record   *complaint.Record `json:"record,omitempty"`
}

func conflictsJSON(cs []store.Conflict) []conflictRow {
	out := make([]conflictRow, 0, len(cs))
	for _, c := range cs {
		row := conflictRow{ID: c.ID, Reference: c.Reference, Action: c.Action, Code: c.Code,
			Message: c.Message, Status: c.Status, QueuedAt: c.QueuedAt.UTC(), At: c.At.UTC()}
		if c.HolderID != "" || c.HolderName != "" {
			row.Holder = &complaint.Officer{ID: c.HolderID, Name: c.HolderName}
		}
		out = append(out, row)
	}
	return out
}

// printJSON writes v as indented JSON made terminal-safe.
func (a *app) printJSON(v any) int {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return a.fail(a.m().Error, err)
	}
	fmt.Fprintf(a.cfg.Stdout, "%s\n", escapeUnsafeJSON(b))
	return exitOK
}

// escapeUnsafeJSON rewrites, inside valid JSON from encoding/json, every
// control or format character that encoding/json leaves raw (DEL, C1,
// U+202E and friends) as a \uXXXX escape (a surrogate pair above the BMP).
// Such characters only occur inside strings, where the escape means the
// same character, so the document's value is unchanged.
func escapeUnsafeJSON(b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b))
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == 0x7F || (r >= 0x80 && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == 0x2028 || r == 0x2029)) {
			if r > 0xFFFF {
				r1, r2 := utf16.EncodeRune(r)
				out.WriteString(`\u` + hex4(r1) + `\u` + hex4(r2))
			} else {
				out.WriteString(`\u` + hex4(r))
			}
		} else {
			out.Write(b[i : i+size])
		}
		i += size
	}
	return out.Bytes()
}

func hex4(r rune) string {
	s := strconv.FormatInt(int64(r), 16)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}
