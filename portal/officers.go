package portal

import (
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"guichet/complaint"
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
	_, err = s.write(func(tx *sql.Tx) (any, error) {
		if _, err := tx.Exec(`INSERT INTO officers (id, zone, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
			officer.ID, zone, name, hashToken(token), s.now().UnixMilli()); err != nil {
			return nil, err
		}
		return nil, s.auditTx(tx, auditEntry{Officer: officer.ID, Zone: zone, Kind: "officer_add", Outcome: "ok"})
	})
	if err != nil {
		return "", complaint.Officer{}, err
	}
	return token, officer, nil
}

// RevokeOfficer stops an officer's token at once.
func (s *Server) RevokeOfficer(id string) error {
	_, err := s.write(func(tx *sql.Tx) (any, error) {
		var zone string
		if err := tx.QueryRow(`SELECT zone FROM officers WHERE id = ?`, id).Scan(&zone); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return nil, ErrUnknownOfficer
			}
			return nil, err
		}
		if _, err := tx.Exec(`UPDATE officers SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, s.now().UnixMilli(), id); err != nil {
			return nil, err
		}
		return nil, s.auditTx(tx, auditEntry{Officer: id, Zone: zone, Kind: "officer_revoke", Outcome: "ok"})
	})
	return err
}

// ListOfficers lists every officer account, revoked ones included.
func (s *Server) ListOfficers() ([]OfficerInfo, error) {
	rows, err := s.rdb.Query(`SELECT id, name, zone, created_at, revoked_at FROM officers ORDER BY zone, created_at`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OfficerInfo
	for rows.Next() {
		var o OfficerInfo
		var created int64
		var revoked sql.NullInt64
		if err := rows.Scan(&o.ID, &o.Name, &o.Zone, &created, &revoked); err != nil {
			return nil, err
		}
		o.CreatedAt = time.UnixMilli(created).UTC()
		if revoked.Valid {
			t := time.UnixMilli(revoked.Int64).UTC()
			o.RevokedAt = &t
		}
		out = append(out, o)
	}
	return out, rows.Err()
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
func (s *Server) authenticate(header string) (complaint.Officer, string, authOutcome, error) {
	token, ok := bearerToken(header)
	if !ok {
		return complaint.Officer{}, "", authNoToken, nil
	}
	var o complaint.Officer
	var zone string
	var revoked sql.NullInt64
	err := s.rdb.QueryRow(`SELECT id, name, zone, revoked_at FROM officers WHERE token_hash = ?`, hashToken(token)).
		Scan(&o.ID, &o.Name, &zone, &revoked)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return o, "", authBadToken, nil
	case err != nil:
		return o, "", "", err
	case revoked.Valid:
		return o, zone, authRevoked, nil
	}
	return o, zone, authOK, nil
}
