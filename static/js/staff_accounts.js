// The roster page's "Create staff accounts" in steps, with progress: each step is a POST that creates the next
// thousand accounts and answers their passwords; at the end the page asks the server for the password sheet
// of what it received and downloads it. Without JavaScript the form posts once and downloads the sheet.
// Accounts of finished steps stay if a step fails; pressing the button again creates the rest.
(function () {
  "use strict";
  var form = document.querySelector("form[data-accounts-step]");
  var panel = document.querySelector("[data-accounts-progress]");
  if (!form || !panel || !window.fetch) { return; }
  var bar = panel.querySelector("[data-accounts-bar]");
  var fill = panel.querySelector("[data-accounts-fill]");
  var status = panel.querySelector("[data-accounts-status]");
  var skippedLine = panel.querySelector("[data-accounts-skipped]");
  var download = panel.querySelector("[data-accounts-download]");
  var button = form.querySelector("[data-accounts-button]");
  var token = form.querySelector("input[name=csrf_token]").value;
  var accounts = [];   // {username, password} of this page's batch, for the sheet
  var saved = true;    // the sheet of every account in `accounts` has been downloaded

  function msg(name, values) {
    var text = panel.getAttribute("data-msg-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(String(values[key]));
    });
    return text;
  }

  function show(done, total) {
    var percent = total ? Math.round((100 * done) / total) : 0;
    fill.style.width = percent + "%";
    bar.setAttribute("aria-valuenow", String(percent));
  }

  function reasonOf(response) {
    if (!response) { return msg("failed"); }
    if (response.status === 409) { return msg("busy"); }
    if (response.status === 400) { return msg("expired"); }
    return msg("failed");
  }

  function filenameOf(response) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename\*=UTF-8''([^;]+)/.exec(header);
    return match ? decodeURIComponent(match[1]) : "accounts.xlsx";
  }

  function fetchSheet() {
    download.disabled = true;
    return fetch(form.getAttribute("data-accounts-sheet"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ accounts: accounts })
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.blob().then(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = filenameOf(response);
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
        saved = true;
      });
    }).catch(function () {
      status.textContent = msg("sheet-failed");
    }).then(function () { download.disabled = false; });
  }

  function run() {
    var created = 0, total = 0, skipped = [], after = "";
    panel.hidden = false;
    download.hidden = true;
    skippedLine.hidden = true;
    status.textContent = msg("starting");
    show(0, 1);
    button.disabled = true;

    function finish(response, failed) {
      button.disabled = false;
      if (skipped.length) {
        skippedLine.hidden = false;
        var names = skipped.slice(0, 20).join(", ") + (skipped.length > 20 ? ", …" : "");
        skippedLine.textContent = msg("skipped", { n: skipped.length, names: names });
      }
      download.hidden = accounts.length === 0;
      if (failed) {
        status.textContent = created
          ? msg("stopped", { n: created, total: failed.total, reason: reasonOf(response) })
          : reasonOf(response);
        return;
      }
      show(1, 1);
      if (created === 0) {
        status.textContent = msg("none");
        return;
      }
      status.textContent = msg("done", { n: created });
      fetchSheet();
    }

    function step() {
      var body = new FormData();
      body.append("csrf_token", token);
      body.append("after", after);
      var response = null;
      return fetch(form.getAttribute("data-accounts-step"), {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        body: body
      }).then(function (r) {
        response = r;
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.json();
      }).then(function (data) {
        if (data.accounts.length) { saved = false; }
        accounts = accounts.concat(data.accounts);
        created += data.accounts.length;
        skipped = skipped.concat(data.skipped);
        after = data.after || after;
        total = created + skipped.length + data.remaining;
        show(created + skipped.length, total);
        status.textContent = msg("running", { n: created, total: total });
        if (data.done) { return finish(response, null); }
        return step();
      }).catch(function () {
        finish(response, { total: Math.max(total, created) });
      });
    }
    return step();
  }

  // On the document, after app.js's confirmation (registered before this script): declined, nothing runs.
  document.addEventListener("submit", function (event) {
    if (event.target !== form || event.defaultPrevented) { return; }
    event.preventDefault();
    run();
  });
  download.addEventListener("click", fetchSheet);
  window.addEventListener("beforeunload", function (event) {
    if (!saved) {
      event.preventDefault();
      event.returnValue = msg("leave");
      return event.returnValue;
    }
  });
})();
