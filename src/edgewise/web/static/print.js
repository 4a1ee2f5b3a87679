// The Print button of a printable page (inline handlers are not allowed by the CSP).
"use strict";
(function () {
  const button = document.getElementById("print-button");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
})();
