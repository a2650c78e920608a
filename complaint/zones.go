package complaint

// STUB — replaced by the routing work (issue 2). Signatures are the contract.

import "io"

// ProvisionalPrefix starts the code of a zone whose official code is not
// confirmed yet, e.g. "prov-carma".
const ProvisionalPrefix = "prov-"

// Municipality is one municipality with its postal codes and localities.
type Municipality struct {
	NIS         string // NIS5 code (2025)
	Name        string // as in zones.csv
	Zone        Zone
	PostalCodes []string // sorted
	Localities  []string // locality names of those postal codes
}

// Router resolves the place of the facts to a zone. It is immutable and safe
// for concurrent use.
type Router struct{}

// DefaultRouter is built once from the embedded data.
func DefaultRouter() *Router { return &Router{} }

// LoadZones builds a router from a zone table in the zones.csv format
// (zone_code,zone_name,nis5,municipality) over the embedded postal codes.
// The table must cover every municipality; problems are reported with line numbers.
func LoadZones(r io.Reader) (*Router, error) { return &Router{}, nil }

// Route returns the zone of the place of the facts, or a *CodedError
// (ErrUnknownPostalCode, ErrAmbiguousPlace, ErrMunicipalityMismatch).
func (r *Router) Route(p Place) (Zone, error) { return Zone{}, &CodedError{Code: ErrUnknownPostalCode} }

// Zones lists every zone, sorted by code.
func (r *Router) Zones() []Zone { return nil }

// Zone finds a zone by code.
func (r *Router) Zone(code string) (Zone, bool) { return Zone{}, false }

// Municipalities lists the municipalities of a zone (all when code is "").
func (r *Router) Municipalities(code string) []Municipality { return nil }
