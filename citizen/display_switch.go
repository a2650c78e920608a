package citizen

import (
	"net/http"
	"time"
)

// The display for the visually impaired (high contrast, larger text,
// underlined links) is a switch on every page, remembered by a cookie that
// holds nothing else. Without it the stylesheet still follows the system's
// prefers-contrast and prefers-color-scheme.

const displayCookie = "guichet_display"

func contrastOn(r *http.Request) bool {
	c, err := r.Cookie(displayCookie)
	return err == nil && c.Value == "contrast"
}

func (f *Form) handleDisplay(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		f.notFound(w, r, pickLanguage(r))
		return
	}
	back, ok := localPath(r.PostForm.Get("back"))
	if !ok {
		back = "/"
	}
	c := f.cookie(r, displayCookie, "")
	if r.PostForm.Get("display") == "contrast" {
		c.Value = "contrast"
		c.Expires = f.now().Add(365 * 24 * time.Hour)
		c.MaxAge = 365 * 24 * 3600
	} else {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
	http.Redirect(w, r, back, http.StatusSeeOther)
}
