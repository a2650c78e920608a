package complaint

import (
	"strings"
	"time"

	"guichet/i18n"
)

// HistoryLine is one status change as an officer reads it, the same in the
// workstation's screens and its subcommands: date and time in lang's
// convention (in loc), the status change, who, and what the action
// carried (PV number, corrected PV number, target zone, colleague whose
// claim was taken over, reason). The parts are joined by sep. Text that
// came from the network is not sanitized here: callers pass the line
// through textsafe.
func HistoryLine(h StatusChange, lang string, loc *time.Location, sep string) string {
	m := i18n.For(lang)
	status := func(s Status) string {
		if s == "" {
			return "—" // the filing itself has no status before it
		}
		return m.Message("status." + string(s))
	}
	parts := []string{HistoryTime(h.At, lang, loc), status(h.From) + " → " + status(h.To)}
	if spec, ok := ActionSpecOf(ActionType(h.Action)); ok && spec.Labels.History != "" {
		if w, ok := m.Code(spec.Labels.History); ok {
			parts = append(parts, w)
		}
	}
	if h.By != nil {
		parts = append(parts, h.By.Name)
	}
	if h.FromOfficer != nil {
		parts = append(parts, m.Complaint.History.FromOfficer.F(h.FromOfficer.Name))
	}
	switch {
	case h.PreviousPV != "":
		parts = append(parts, m.Complaint.History.PVCorrected.F(h.PreviousPV, h.PVNumber))
	case h.PVNumber != "":
		parts = append(parts, m.Complaint.History.PV.F(h.PVNumber))
	}
	if h.ToZone != "" {
		parts = append(parts, "→ "+h.ToZone)
	}
	if h.Reason != "" {
		parts = append(parts, "« "+h.Reason+" »")
	}
	return strings.Join(parts, sep)
}

// HistoryTime is a date and a 24-hour time in lang's convention, in loc.
func HistoryTime(t time.Time, lang string, loc *time.Location) string {
	if loc == nil {
		loc = time.Local
	}
	return i18n.For(lang).DateTime(t.In(loc))
}
