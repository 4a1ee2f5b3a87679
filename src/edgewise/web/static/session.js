/* edgewise: poll a session's analysis status every second; reload when it is done or failed. */
(function () {
  "use strict";
  var card = document.getElementById("progress-card");
  if (!card) { return; }
  var id = card.getAttribute("data-session");
  var bar = document.getElementById("progress");
  var text = document.getElementById("progress-text");
  var note = document.getElementById("progress-message");
  var failures = 0;

  function show(status) {
    if (bar) { bar.value = status.progress; }
    if (text) { text.textContent = status.progress + "%"; }
    var label = document.getElementById("session-status");
    if (label) { label.textContent = status.status; }
  }

  function poll() {
    fetch("/sessions/" + encodeURIComponent(id) + "/status", {
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 401) { window.location.reload(); return null; }
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.json();
    }).then(function (status) {
      if (status === null) { return; }
      failures = 0;
      show(status);
      if (status.status === "done" || status.status === "failed") {
        window.location.reload();
        return;
      }
      window.setTimeout(poll, 1000);
    }).catch(function () {
      failures += 1;
      if (note) { note.textContent = "Cannot reach the server; trying again."; }
      window.setTimeout(poll, Math.min(10000, 1000 * (failures + 1)));
    });
  }

  window.setTimeout(poll, 1000);
})();
