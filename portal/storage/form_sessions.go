package storage

import (
	"context"
	"time"
)

// FormSession is one citizen's visit of the web form (package citizen):
// the answers given so far, kept in the portal's database so that every
// guichetd node behind a load balancer continues the same draft.
type FormSession struct {
	// Key is the SHA-256 of the session cookie (base64url), never the
	// cookie itself: a copy of the table gives no usable cookie.
	Key string
	// Data is the form's (its draft, encoded), opaque to the store; nil
	// once the session expired.
	Data []byte
	// LastUse is the time of the session's last request.
	LastUse time.Time
}

// FormSessions stores the citizen form's sessions. Part of Store.
type FormSessions interface {
	// FormSession reads a session by key (ErrNotFound).
	FormSession(ctx context.Context, key string) (FormSession, error)
	// SaveFormSession stores s in place of the session of its key, if any.
	SaveFormSession(ctx context.Context, s FormSession) error
	// DeleteFormSession deletes a session; none is no error.
	DeleteFormSession(ctx context.Context, key string) error
	// ExpireFormSessions erases the Data of the sessions last used before
	// idleBefore, keeping their keys (the form then says the session
	// expired rather than starting afresh silently), and deletes the
	// sessions last used before forgetBefore (earlier than idleBefore).
	// It returns how many sessions it erased and deleted.
	ExpireFormSessions(ctx context.Context, idleBefore, forgetBefore time.Time) (erased, deleted int64, err error)
}
