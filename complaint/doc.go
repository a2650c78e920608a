// Package complaint is the shared domain of guichet: the complaint record and
// its JSON wire format, the fact-type catalog, validation with field-level
// errors in four languages, the Belgian identifiers (national register number,
// eID and SIS card numbers, enterprise number, PV number), the status rules
// shared by the portal and the workstation, and routing of the place of the
// facts to a local police zone from embedded reference data.
//
// Both guichetd (package portal) and the workstation (packages store, sync,
// tui) import it; it imports nothing of theirs.
package complaint
