package devfas

// Person is a fictitious citizen the development FAS can certify. The
// national numbers obey the national register's check-digit rules
// (complaint.ParseNationalNumber), and the birth dates agree with them.
type Person struct {
	NationalNumber string // 11 digits
	FirstName      string
	LastName       string
	BirthDate      string // YYYY-MM-DD
}

// People are the test identities offered on the authorize page: a man and
// a woman born in the 20th century, one born after 2000 (the other check
// digit rule), and one with a bis number (foreign resident, month + 40).
var People = []Person{
	{NationalNumber: "85073003427", FirstName: "Marie", LastName: "Dubois", BirthDate: "1985-07-30"},
	{NationalNumber: "79021411769", FirstName: "Jan", LastName: "Peeters", BirthDate: "1979-02-14"},
	{NationalNumber: "03110522882", FirstName: "Lea", LastName: "Schmitz", BirthDate: "2003-11-05"},
	{NationalNumber: "72440914052", FirstName: "Ana", LastName: "García López", BirthDate: "1972-04-09"},
}

// Methods offered on the authorize page, as the ID token's acr says them.
var Methods = []string{"eid", "token", "itsme"}
