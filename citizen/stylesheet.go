package citizen

import (
	_ "embed"
	"net/http"
	"strconv"
)

//go:embed assets/site.css
var siteCSS []byte

// serveCSS serves the one stylesheet; it may be cached for a day.
func serveCSS(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("Content-Length", strconv.Itoa(len(siteCSS)))
	w.Write(siteCSS)
}

//go:embed assets/session.js
var sessionJS []byte

// serveSessionJS serves the script of the session's end notice.
func serveSessionJS(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("Content-Length", strconv.Itoa(len(sessionJS)))
	w.Write(sessionJS)
}
