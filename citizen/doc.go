// Package citizen is the e-guichet's web form: the pages a citizen uses to
// file a minor complaint with the police, served by guichetd beside the API.
//
// Every page is rendered on the server with html/template and works without
// JavaScript: one question or one small group of questions per page (GOV.UK
// Design System patterns), an error summary that links to each field, a
// "check your answers" page with a change link per answer, then the
// reference and a printable receipt. The form files through
// portal.Server.Intake and checks each page through
// portal.Server.CheckSubmission, the code path of POST /v1/complaints: a
// complaint filed here and through the API gives the same record. The
// details of a type of facts are rendered from the catalog
// (complaint.Catalog): a new type needs no template.
//
// The answers live on the server, in the portal's database (a draft per
// session, shared by every guichetd node; 60 minutes idle at most, each page
// saying until when, with a notice a few minutes before when JavaScript
// runs; deleted once filed); the browser holds only a random session
// identifier in a cookie (HttpOnly, SameSite=Lax, Secure except on
// loopback; SameSite=None; Secure; Partitioned in a frame of a zone website
// configured in Options.FrameAncestors, the only sites that may frame the
// form). Answers never appear in a URL or a log. Every POST is checked
// against cross-origin requests (net/http.CrossOriginProtection); every
// answer goes through the complaint package's text rules. Pages carry a
// strict Content-Security-Policy (the form's own stylesheet and script
// only) and make no third-party request.
package citizen
