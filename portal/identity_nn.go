package portal

import "guichet/complaint"

// checkAssertedNationalNumber checks the national number certified by an
// assertion (valid, and consistent with the complainant's birth date);
// returns a message key or "".
func (s *Server) checkAssertedNationalNumber(nn, birthDate string) string {
	n, err := complaint.ParseNationalNumber(nn)
	if err != nil || !n.ConsistentWithBirthDate(birthDate) {
		return msgAssertionMismatch
	}
	return ""
}
