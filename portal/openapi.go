package portal

import (
	"io"
	"net/http"

	"guichet/docs"
)

// handleOpenAPI serves the OpenAPI document of this API (docs/openapi.json,
// embedded into the binary).
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	io.WriteString(w, docs.OpenAPI)
}
