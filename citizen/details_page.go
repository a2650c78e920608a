package citizen

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"guichet/complaint"
)

// The details of a type of facts are rendered from its catalog entry: a
// text is an input (a textarea when multiline), an amount or a number an
// input with a numeric keyboard, a yes/no question radios, and a list of
// items a group of inputs per item with "add another" and "remove"
// buttons (no JavaScript). The goods stolen or damaged are such a list,
// described by the entry's Goods. A new type in the catalog needs no
// template.

func hasDetails(f *Form, d *Draft) bool {
	ft, ok := complaint.LookupFactType(d.FactType)
	return ok && len(detailFields(ft)) > 0
}

// detailFields are the fields the details page asks: the fact type's
// details, then its goods list.
func detailFields(ft complaint.FactType) []complaint.DetailField {
	fs := append([]complaint.DetailField(nil), ft.Fields...)
	if ft.Goods != nil {
		fs = append(fs, *ft.Goods)
	}
	return fs
}

// detailField finds a field of the details page by key.
func detailField(ft complaint.FactType, key string) (complaint.DetailField, bool) {
	for _, fld := range detailFields(ft) {
		if fld.Key == key {
			return fld, true
		}
	}
	return complaint.DetailField{}, false
}

// Input names of detail answers are "d." + the draft's key ("d.shop_name",
// "d.goods.0.quantity"); component ids are the validation path's
// ("details-shop_name", "goods-0-quantity").
const detailPrefix = "d."

// idPrefixOf is the id prefix of a field of the details page: the goods
// list is a member of the submission, the others of its details.
func idPrefixOf(fld complaint.DetailField) string {
	if fld.Key == complaint.GoodsKey {
		return ""
	}
	return "details-"
}

// detailID is the component id of a draft key ("goods.0.value_eur" →
// "goods-0-value_eur", "value_eur" → "details-value_eur").
func detailID(name string) string {
	if name == complaint.GoodsKey || strings.HasPrefix(name, complaint.GoodsKey+".") {
		return idOf(name)
	}
	return "details-" + idOf(name)
}

func buildDetails(f *Form, v *view, d *Draft, errs map[string]string) {
	ft, _ := complaint.LookupFactType(d.FactType)
	v.Title = fmt.Sprintf(v.T("details_title"), ft.Label(v.Lang))
	v.Caption = v.T("section_facts")
	v.Lead = []string{v.T("details_lead")}
	for _, fld := range detailFields(ft) {
		v.Components = append(v.Components, detailComponent(v.Lang, fld, "", idPrefixOf(fld), d))
	}
}

// detailComponent renders one catalog field; key is the draft key prefix
// of its list row ("items.0."), id the id prefix.
func detailComponent(lang string, fld complaint.DetailField, key, idPrefix string, d *Draft) component {
	name := key + fld.Key
	id := idPrefix + fld.Key
	label := fld.Label(lang)
	if !fld.Required && fld.Kind != complaint.KindBool && fld.Kind != complaint.KindItems {
		label += " " + text(lang, "optional")
	}
	c := component{Kind: "input", ID: id, Name: detailPrefix + name, Label: label, Value: d.Details[name], Width: "w20"}
	switch fld.Kind {
	case complaint.KindText:
		if fld.Multiline {
			c.Kind, c.Spellcheck = "textarea", true
		}
	case complaint.KindEnterpriseNumber:
		c.Hint, c.Width = text(lang, "enterprise_number_hint"), "w10"
	case complaint.KindMoney:
		c.Hint, c.Width, c.InputMode = text(lang, "money_hint"), "w10", "decimal"
	case complaint.KindNumber:
		c.Width, c.InputMode = "w10", "decimal"
	case complaint.KindInteger:
		c.Width, c.InputMode = "w4", "numeric"
	case complaint.KindBool:
		c = yesNo(lang, id, label, "", d.Details[name])
		c.Name = detailPrefix + name
	case complaint.KindItems:
		c = itemList(lang, fld, name, id, d)
	}
	return c
}

// itemRows is how many rows of a list the page shows.
func itemRows(fld complaint.DetailField, name string, d *Draft) int {
	n := d.ItemRows[name]
	if n < 1 {
		n = 1
	}
	if n < fld.MinItems {
		n = fld.MinItems
	}
	if fld.MaxItems > 0 && n > fld.MaxItems {
		n = fld.MaxItems
	}
	return n
}

// itemLabel names row i of a list: the catalog's name of one element and
// its number ("Vélo 2"), else the form's "Item 2".
func itemLabel(lang string, fld complaint.DetailField, i int) string {
	if s := fld.ItemLabels[lang]; s != "" {
		return s + " " + strconv.Itoa(i+1)
	}
	return fmt.Sprintf(text(lang, "item_n"), i+1)
}

func itemList(lang string, fld complaint.DetailField, name, id string, d *Draft) component {
	list := component{Kind: "list", ID: id, Label: fld.Label(lang)}
	rows := itemRows(fld, name, d)
	for i := 0; i < rows; i++ {
		row := component{Kind: "group", ID: id + "-" + strconv.Itoa(i),
			Label: itemLabel(lang, fld, i)}
		for _, sub := range fld.Item {
			row.Children = append(row.Children, detailComponent(lang, sub, name+"."+strconv.Itoa(i)+".", row.ID+"-", d))
		}
		if rows > 1 {
			row.Remove = &button{Name: "remove", Value: name + "." + strconv.Itoa(i),
				Label: fmt.Sprintf(text(lang, "item_remove"), i+1)}
		}
		list.Children = append(list.Children, row)
	}
	if fld.MaxItems == 0 || rows < fld.MaxItems {
		list.Add = &button{Name: "add", Value: name, Label: text(lang, "item_add")}
	}
	return list
}

func saveDetails(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	ft, _ := complaint.LookupFactType(d.FactType)
	in := map[string]string{}
	for _, fld := range detailFields(ft) {
		readDetail(r, fld, "", d, in)
	}
	d.Details = in
	for _, fld := range detailFields(ft) {
		if fld.Kind == complaint.KindItems {
			compactRows(fld, fld.Key, d)
		}
	}
	if add := r.PostForm.Get("add"); add != "" {
		if fld, ok := detailField(ft, add); ok && fld.Kind == complaint.KindItems {
			if n := itemRows(fld, add, d); fld.MaxItems == 0 || n < fld.MaxItems {
				d.ItemRows[add] = n + 1
			}
			return nil, true
		}
	}
	if rm := r.PostForm.Get("remove"); rm != "" {
		removeRow(ft, rm, d)
		return nil, true
	}
	_, errs := f.checkPage(d, lang, "details", complaint.GoodsKey)
	_, bad := detailsJSON(ft, d.Details)
	_, badGoods := goodsJSON(ft, d.Details)
	for _, name := range append(bad, badGoods...) {
		errs[detailID(name)] = text(lang, "number_invalid")
	}
	return errs, false
}

func readDetail(r *http.Request, fld complaint.DetailField, key string, d *Draft, in map[string]string) {
	name := key + fld.Key
	if fld.Kind != complaint.KindItems {
		if v := r.PostForm.Get(detailPrefix + name); v != "" {
			in[name] = v
		}
		return
	}
	rows := itemRows(fld, name, d)
	for i := 0; i < rows; i++ {
		for _, sub := range fld.Item {
			readDetail(r, sub, name+"."+strconv.Itoa(i)+".", d, in)
		}
	}
}

// compactRows drops the empty rows of a list so that the rows shown are
// numbered as the validated list is (row n is element n).
func compactRows(fld complaint.DetailField, name string, d *Draft) {
	rows := itemRowNames(name, d.Details)
	moved := map[string]string{}
	for k, v := range d.Details {
		if !strings.HasPrefix(k, name+".") {
			moved[k] = v
		}
	}
	for i, row := range rows {
		for k, v := range d.Details {
			if rest, ok := strings.CutPrefix(k, row+"."); ok {
				moved[name+"."+strconv.Itoa(i)+"."+rest] = v
			}
		}
	}
	d.Details = moved
	shown := itemRows(fld, name, d)
	if len(rows) > shown {
		shown = len(rows)
	}
	d.ItemRows[name] = shown
}

// removeRow deletes row "items.2" and renumbers the rows after it.
func removeRow(ft complaint.FactType, rm string, d *Draft) {
	dot := strings.LastIndexByte(rm, '.')
	if dot < 0 {
		return
	}
	name := rm[:dot]
	idx, err := strconv.Atoi(rm[dot+1:])
	fld, ok := detailField(ft, name)
	if err != nil || !ok || fld.Kind != complaint.KindItems {
		return
	}
	rows := itemRows(fld, name, d)
	out := map[string]string{}
	for k, v := range d.Details {
		rest, ok := strings.CutPrefix(k, name+".")
		if !ok {
			out[k] = v
			continue
		}
		istr, sub, _ := strings.Cut(rest, ".")
		i, _ := strconv.Atoi(istr)
		switch {
		case i < idx:
			out[k] = v
		case i > idx:
			out[name+"."+strconv.Itoa(i-1)+"."+sub] = v
		}
	}
	d.Details = out
	if rows > 1 {
		d.ItemRows[name] = rows - 1
	}
}
