package portal

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"guichet/complaint"
	"guichet/portal/storage"
)

// OfficerInfo describes an officer account (never its token).
type OfficerInfo struct {
	complaint.Officer
	Zone      string     `json:"zone"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// ErrUnknownOfficer is returned when revoking an officer that does not exist.
var ErrUnknownOfficer = errors.New("unknown officer")

// hashToken hashes a bearer token for storage and lookup. Tokens are 32
// random bytes, so a fast hash is right: there is nothing to brute-force
// that a slow password hash would protect, and every request pays it.
func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// AddOfficer creates an officer of zone and returns its bearer token. The
// token is shown only here: the database keeps its hash.
func (s *Server) AddOfficer(zone, name string) (token string, officer complaint.Officer, err error) {
	// The name is shown to colleagues (who holds a complaint): the rules
	// of names apply (no control, bidi or invisible character).
	name, ok := complaint.CleanText(name, complaint.TextName)
	if name == "" || !ok || utf8.RuneCountInString(name) > 200 {
		return "", officer, errors.New("officer name must be 1-200 printable characters, without control, bidi or invisible characters")
	}
	if _, ok := s.Router().Zone(zone); !ok {
		return "", officer, fmt.Errorf("unknown zone %q", zone)
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	token = base64.RawURLEncoding.EncodeToString(raw)
	idb := make([]byte, 6)
	rand.Read(idb)
	officer = complaint.Officer{ID: "o-" + hex.EncodeToString(idb), Name: name}
	err = s.st.AddOfficer(context.Background(), storage.Officer{Officer: officer, Zone: zone, TokenHash: hashToken(token), CreatedAt: s.now()},
		s.auditRecord(auditEntry{Officer: officer.ID, Zone: zone, Kind: "officer_add", Outcome: "ok"}))
	if err != nil {
		return "", complaint.Officer{}, err
	}
	return token, officer, nil
}

// RevokeOfficer stops an officer's token at once.
func (s *Server) RevokeOfficer(id string) error {
	ctx := context.Background()
	o, err := s.st.Officer(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return ErrUnknownOfficer
	}
	if err != nil {
		return err
	}
	err = s.st.RevokeOfficer(ctx, id, s.now(), s.auditRecord(auditEntry{Officer: id, Zone: o.Zone, Kind: "officer_revoke", Outcome: "ok"}))
	if errors.Is(err, storage.ErrNotFound) {
		return ErrUnknownOfficer
	}
	return err
}

// ListOfficers lists every officer account, revoked ones included.
func (s *Server) ListOfficers() ([]OfficerInfo, error) {
	all, err := s.st.Officers(context.Background())
	if err != nil {
		return nil, err
	}
	out := make([]OfficerInfo, len(all))
	for i, o := range all {
		out[i] = OfficerInfo{Officer: o.Officer, Zone: o.Zone, CreatedAt: o.CreatedAt, RevokedAt: o.RevokedAt}
	}
	return out, nil
}

// authOutcome says why a request was or was not authenticated.
type authOutcome string

const (
	authOK       authOutcome = "ok"
	authNoToken  authOutcome = "denied_no_token"
	authBadToken authOutcome = "denied_unknown_token"
	authRevoked  authOutcome = "denied_revoked_token"
	// authOtherZone: a valid token on another zone's path (403).
	authOtherZone authOutcome = "denied_other_zone"
)

// bearerToken reads "Bearer TOKEN"; the scheme is case-insensitive (RFC
// 9110, 11.1) and one or more spaces may follow it.
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// authenticate finds the officer of a bearer token. It reads the database
// on every request so a revocation takes effect at once.
func (s *Server) authenticate(ctx context.Context, header string) (complaint.Officer, string, authOutcome, error) {
	token, ok := bearerToken(header)
	if !ok {
		return complaint.Officer{}, "", authNoToken, nil
	}
	o, err := s.st.OfficerByToken(ctx, hashToken(token))
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return complaint.Officer{}, "", authBadToken, nil
	case err != nil:
		return complaint.Officer{}, "", "", err
	case o.RevokedAt != nil:
		return o.Officer, o.Zone, authRevoked, nil
	}
	return o.Officer, o.Zone, authOK, nil
}
