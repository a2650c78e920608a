// Package docs holds guichet's design documents: architecture.md (layout,
// dependency direction, data flow, status machine, offline behaviour,
// security model), cache-indexes.md (the workstation cache's indexes and
// the queries that read each) and openapi.json, the OpenAPI 3.1 description of the
// portal's HTTP API. It embeds the latter so that guichetd serves it at
// GET /v1/openapi.json; portal/openapi_test.go checks it against the
// portal's routes and real answers.
package docs

import _ "embed"

// OpenAPI is the OpenAPI 3.1 document of /v1, as JSON.
//
//go:embed openapi.json
var OpenAPI string
