package complaint

// STUB — replaced by the validation work (issue 2). Signatures are the contract.

import "time"

// Decode parses a submission body strictly (unknown fields rejected, size
// bounded) and reports decoding problems as field errors with JSON paths.
func Decode(body []byte, lang string) (*Submission, FieldErrors) { return &Submission{}, nil }

// Validate checks every rule at once and returns the zone of the place of the
// facts. now is the server's clock. Messages are in s.Language.
func Validate(s *Submission, rt *Router, now time.Time) (Zone, FieldErrors) { return Zone{}, nil }
