package tui

import (
	"fmt"
	"testing"

	"guichet/store/storetest"
)

func TestSmoke(t *testing.T) {
	h := newHarness(t, storetest.Records(300, 1), "en", 100, 30)
	fmt.Println(h.view())
	h.keys("jjj<enter>")
	fmt.Println(h.view())
	h.keys("<esc>/type:bic")
	fmt.Println(h.view())
	h.keys("<enter>?")
	fmt.Println(h.view())
}
