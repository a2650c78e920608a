// The end of the session, progressive enhancement: without this script the
// footer says until when the answers are kept. With it, a notice with a
// button that keeps them shows a few minutes before; when the time has
// passed the page is asked again, and the server shows the expiry page.
(function () {
  "use strict";
  var clock = document.getElementById("session");
  var warning = document.getElementById("session-warning");
  var keep = document.getElementById("session-keep");
  if (!clock || !warning || !keep || !window.fetch) {
    return;
  }
  var warnBefore = 5 * 60; // seconds, as the notice says
  var timers = [];

  function schedule(left) {
    timers.forEach(clearTimeout);
    timers = [
      setTimeout(function () { warning.hidden = false; }, Math.max(0, left - warnBefore) * 1000),
      setTimeout(function () { window.location.assign(window.location.pathname); }, (left + 1) * 1000)
    ];
  }

  keep.addEventListener("click", function () {
    fetch(clock.getAttribute("data-keep-alive"), { method: "POST", credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) {
          throw new Error(String(r.status));
        }
        return r.json();
      })
      .then(function (s) {
        document.querySelectorAll(".session-end").forEach(function (e) { e.textContent = s.ends; });
        warning.hidden = true;
        schedule(s.left);
      })
      .catch(function () {
        // Expired meanwhile: the page asked again says so.
        window.location.assign(window.location.pathname);
      });
  });

  schedule(parseInt(clock.getAttribute("data-left"), 10));
}());
