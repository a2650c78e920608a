package citizen

import (
	"net/http"

	"guichet/complaint"
)

// The contact page: how the citizen wants the confirmation (e-mail or
// post), and the address it needs.

func buildContact(f *Form, v *view, d *Draft, errs map[string]string) {
	v.Title = v.T("contact_title")
	v.Caption = v.T("section_contact")
	country := d.Address.Country
	if country == "" && !d.done["contact"] {
		country = "BE"
	}
	v.Components = []component{
		{Kind: "radios", ID: "confirmation", Name: "confirmation", Label: v.T("channel_question"), Choices: []choice{
			{ID: "confirmation", Value: complaint.ChannelEmail, Label: v.T("channel_email"), Checked: d.Channel == complaint.ChannelEmail},
			{ID: "confirmation-post", Value: complaint.ChannelPost, Label: v.T("channel_post"), Checked: d.Channel == complaint.ChannelPost},
		}},
		{Kind: "input", ID: "complainant-email", Name: "email", Type: "email", Label: v.T("email"), Hint: v.T("email_hint"),
			Value: d.Email, Autocomplete: "email", Width: "w20"},
		{Kind: "input", ID: "complainant-phone", Name: "phone", Type: "tel", Label: v.T("phone") + " " + v.T("optional"),
			Value: d.Phone, Autocomplete: "tel", Width: "w20"},
		{Kind: "group", ID: "complainant-address", Label: v.T("address"), Hint: v.T("address_hint"), Children: []component{
			{Kind: "input", ID: "complainant-address-street", Name: "address.street", Label: v.T("street"), Value: d.Address.Street, Autocomplete: "address-line1", Width: "w20"},
			{Kind: "input", ID: "complainant-address-number", Name: "address.number", Label: v.T("house_number"), Value: d.Address.Number, Width: "w4"},
			{Kind: "input", ID: "complainant-address-box", Name: "address.box", Label: v.T("box") + " " + v.T("optional"), Value: d.Address.Box, Width: "w4"},
			{Kind: "input", ID: "complainant-address-postal_code", Name: "address.postal_code", Label: v.T("postal_code"), Value: d.Address.PostalCode, Autocomplete: "postal-code", Width: "w4"},
			{Kind: "input", ID: "complainant-address-municipality", Name: "address.municipality", Label: v.T("municipality"), Value: d.Address.Municipality, Autocomplete: "address-level2", Width: "w20"},
			{Kind: "input", ID: "complainant-address-country", Name: "address.country", Label: v.T("country"), Hint: v.T("country_hint"), Value: country, Autocomplete: "country", Width: "w4"},
		}},
	}
}

func saveContact(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	p := r.PostForm
	d.Channel = p.Get("confirmation")
	d.Email = p.Get("email")
	d.Phone = p.Get("phone")
	d.Address = complaint.Address{Street: p.Get("address.street"), Number: p.Get("address.number"), Box: p.Get("address.box"),
		PostalCode: p.Get("address.postal_code"), Municipality: p.Get("address.municipality"), Country: p.Get("address.country")}
	if d.Channel != complaint.ChannelPost && !addressGiven(d.Address) {
		// A country alone (the default) is no address.
		d.Address.Country = ""
	}
	_, errs := f.checkPage(d, lang, "confirmation", "complainant.email", "complainant.phone", "complainant.address")
	return errs, false
}
