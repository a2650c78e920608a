package complaint

// STUB — replaced by the identifiers work (issue 2). Signatures are the contract.

// PVNumber is a police report number AA.NN.XX.NNNNNN/YYYY.
type PVNumber struct {
	Arrondissement string // two letters, e.g. "NI"
	Code           string // two digits, e.g. "55"
	Service        string // two alphanumerics, e.g. "L5"
	Sequence       string // six digits
	Year           int    // four digits
}

// String is the canonical form, e.g. "NI.55.L5.012345/2026".
func (p PVNumber) String() string { return "" }

// ParsePVNumber accepts spaces, lower case and a 2-digit year; errors are *CodedError.
func ParsePVNumber(s string) (PVNumber, error) { return PVNumber{}, &CodedError{Code: ErrInvalidPV} }
