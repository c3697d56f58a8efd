// Small behaviours for every page (no inline script: the content security policy forbids it).
(function () {
  "use strict";
  // <form data-confirm="..."> asks before submitting; used for irreversible steps.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // A submit button shows that work is under way and cannot be pressed twice.
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) { return; }
    var buttons = event.target.querySelectorAll("button[type=submit][data-busy]");
    buttons.forEach(function (button) {
      button.disabled = true;
      button.textContent = button.getAttribute("data-busy");
    });
  });
  // <select data-autosubmit> submits its form on change (filters).
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-autosubmit]")) {
      event.target.form.submit();
    }
  });
})();
