package complaint

// The goods list of a complaint (Submission.Goods): several bicycles,
// several items, several damaged objects in one complaint, described by the
// fact type's catalog entry (FactType.Goods). Records filed before the list
// existed kept their goods in details — one good's fields as members of
// details, or a list in one member — and LegacyGoods reads them as a list,
// so that validation accepts the old form and the officer sees every
// record the same way.

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// LegacyGoods returns the submission's details and goods with goods kept
// the old way moved to the goods list, as the fact type's catalog entry
// says where they were. It changes nothing (and returns the submission's
// own values) when the submission has a goods list, its type has none, or
// its details hold no such member. The results are new slices: s is not
// changed.
func LegacyGoods(s *Submission) (details, goods json.RawMessage) {
	return legacyGoods(s, catalog())
}

func legacyGoods(s *Submission, cat []FactType) (details, goods json.RawMessage) {
	details, goods = s.Details, s.Goods
	if t := bytes.TrimSpace(goods); len(t) > 0 && string(t) != "null" {
		return details, goods
	}
	ft, ok := lookupFactType(cat, s.FactType)
	if !ok || ft.Goods == nil || ft.legacyGoods == "" {
		return details, goods
	}
	raw := bytes.TrimSpace(details)
	if len(raw) == 0 || raw[0] != '{' || !utf8.Valid(raw) || !json.Valid(raw) {
		return details, goods
	}
	members, err := objectMembers(raw)
	if err != nil {
		return details, goods
	}
	var kept, moved []member
	for _, m := range members {
		switch {
		case ft.legacyGoods == legacyGoodsInDetails:
			_, isDetail := fieldByKey(ft.Fields, m.key)
			_, isGood := fieldByKey(ft.Goods.Item, m.key)
			if isGood && !isDetail {
				moved = append(moved, m)
				continue
			}
		case m.key == ft.legacyGoods:
			if _, isDetail := fieldByKey(ft.Fields, m.key); !isDetail && len(moved) == 0 {
				moved = append(moved, m)
				continue
			}
		}
		kept = append(kept, m)
	}
	if len(moved) == 0 {
		return details, goods
	}
	details = encodeMembers(kept)
	if ft.legacyGoods == legacyGoodsInDetails {
		goods = append(append(json.RawMessage{'['}, encodeMembers(moved)...), ']')
	} else {
		goods = bytes.Clone(moved[0].value)
	}
	return details, goods
}

// encodeMembers writes members back as a JSON object, in their order.
func encodeMembers(members []member) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range members {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.key)
		b.Write(k)
		b.WriteByte(':')
		b.Write(m.value)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// GoodsList splits a goods list into its elements, nil when it is absent
// or not a JSON array. The elements alias raw.
func GoodsList(raw json.RawMessage) []json.RawMessage {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '[' || !json.Valid(t) {
		return nil
	}
	elems, _ := arrayElements(t)
	return elems
}

// goods checks s.Goods against the fact type's goods list and, when it is
// fine, replaces it by its normal form (each good's fields in catalog
// order, as details). Callers have moved legacy goods first.
func (c *checker) goods(ft FactType, s *Submission) {
	raw := bytes.TrimSpace(s.Goods)
	present := len(raw) > 0 && string(raw) != "null"
	switch {
	case ft.Goods == nil:
		if present {
			c.add(GoodsKey, ErrNotExpected)
		}
		s.Goods = nil
		return
	case !present:
		if ft.Goods.Required {
			c.add(GoodsKey, ErrRequired)
		}
		s.Goods = nil
		return
	case !utf8.Valid(raw):
		// Only a submission built in Go gets here (Decode checks the body).
		c.add(GoodsKey, ErrInvalidText)
		return
	case !json.Valid(raw):
		c.add(GoodsKey, ErrMalformedJSON)
		return
	}
	before := len(c.found)
	normal := c.items(GoodsKey, *ft.Goods, raw)
	if len(c.found) == before {
		s.Goods = normal
	}
}
