package portal

import (
	"net/http"

	"guichet/complaint"
)

// Me is the answer of GET /v1/me: who the bearer token belongs to, so the
// workstation learns its officer and zone from the token alone.
type Me struct {
	Officer complaint.Officer `json:"officer"`
	Zone    complaint.Zone    `json:"zone"`
}

// handleMe answers GET /v1/me. A missing, unknown or revoked token is 401
// (429 when the address has too many), audited like every officer
// endpoint.
func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	o, zone, outcome, err := s.authenticate(r.Context(), r.Header.Get("Authorization"))
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if outcome != authOK {
		s.refuseAuth(w, r, o.ID, "(none)", outcome)
		return
	}
	z, ok := s.Router().Zone(zone)
	if !ok {
		z = complaint.Zone{Code: zone, Name: zone}
	}
	writeJSON(w, http.StatusOK, Me{Officer: o, Zone: z})
}
