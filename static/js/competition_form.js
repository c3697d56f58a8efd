// The competition set-up form: rows added from <template> elements and removed, input names renumbered
// (rounds-0-criteria-1-max_score), running sums of round weights, criteria maxima and award shares, and the
// university field shown only for school-level competitions, and the tie-breaker selects offering the rounds'
// names as they are typed (a chosen round follows its renaming; a removed one is cleared). A round shows the
// part its kind uses (the rubric, or the written test's settings with the paper's maximum, Σ questions ×
// points); without this script both parts show and the server takes the one the kind uses. No dependencies;
// no inline script (CSP).
(function () {
  "use strict";

  var NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

  function rowsOf(container) {
    return Array.prototype.filter.call(container.children, function (el) {
      return el.hasAttribute("data-row");
    });
  }

  function ownedBy(row, el) {
    return el.closest("[data-row]") === row;
  }

  // "rounds-1-criteria-0" for the first criterion of the second round.
  function prefixOf(row) {
    var parts = [];
    var node = row;
    while (node) {
      var container = node.parentElement;
      parts.unshift(node.getAttribute("data-row") + "-" + rowsOf(container).indexOf(node));
      node = container.parentElement ? container.parentElement.closest("[data-row]") : null;
    }
    return parts.join("-");
  }

  function renumber(form) {
    form.querySelectorAll("[data-row]").forEach(function (row) {
      var prefix = prefixOf(row);
      var index = rowsOf(row.parentElement).indexOf(row);
      row.querySelectorAll("[data-field]").forEach(function (input) {
        if (!ownedBy(row, input)) { return; }
        input.name = prefix + "-" + input.getAttribute("data-field");
        input.id = "f-" + input.name;
      });
      row.querySelectorAll("[data-label-for]").forEach(function (label) {
        if (ownedBy(row, label)) { label.htmlFor = "f-" + prefix + "-" + label.getAttribute("data-label-for"); }
      });
      row.querySelectorAll("[data-row-number]").forEach(function (span) {
        if (ownedBy(row, span)) { span.textContent = String(index + 1); }
      });
      row.querySelectorAll("[data-id-suffix]").forEach(function (el) {
        if (ownedBy(row, el)) { el.id = "f-" + prefix + "-" + el.getAttribute("data-id-suffix"); }
      });
      if (row.getAttribute("data-row") === "rounds") {
        row.id = "f-" + prefix;
        var criteria = row.querySelector("[data-list]");
        if (criteria) { criteria.id = "f-" + prefix + "-criteria"; }
      }
    });
  }

  function numberOf(input) {
    var text = (input.value || "").trim().replace(/%$/, "");
    return NUMBER.test(text) ? parseFloat(text) : NaN;
  }

  function total(inputs) {
    var sum = 0;
    inputs.forEach(function (input) {
      var value = numberOf(input);
      if (!isNaN(value)) { sum += value; }
    });
    return Math.round(sum * 10000) / 10000;
  }

  function show(el, visible) {
    if (el) { el.hidden = !visible; }
  }

  // A written test's paper: each line's questions × points, and the paper's maximum.
  function updatePaper(round) {
    var out = round.querySelector("[data-paper-max]");
    if (!out) { return; }
    var sum = 0;
    round.querySelectorAll("[data-paper-line]").forEach(function (line) {
      var count = numberOf(line.querySelector("[data-paper-count]"));
      var points = numberOf(line.querySelector("[data-paper-points]"));
      var subtotal = isNaN(count) || isNaN(points) ? 0 : Math.round(count * points * 100) / 100;
      var cell = line.querySelector("[data-paper-subtotal]");
      if (cell) { cell.textContent = String(subtotal); }
      sum += subtotal;
    });
    out.textContent = String(Math.round(sum * 100) / 100);
  }

  // The part of a round its kind uses: the rubric of a judged round, the settings of a written test.
  function followKind(round) {
    var select = round.querySelector("[data-round-kind]");
    if (!select) { return; }
    var exam = select.value === "exam";
    round.querySelectorAll("[data-judged-part]").forEach(function (el) { el.hidden = exam; });
    round.querySelectorAll("[data-exam-part]").forEach(function (el) { el.hidden = !exam; });
    round.querySelectorAll("[data-both-parts]").forEach(function (el) { el.hidden = true; });
  }

  function updateSums(form) {
    form.querySelectorAll("[data-row=rounds]").forEach(function (round) {
      var out = round.querySelector("[data-max-total]");
      if (out) { out.textContent = String(total(round.querySelectorAll("[data-max-score]"))); }
      updatePaper(round);
      followKind(round);
    });
    var weights = total(form.querySelectorAll("[data-weight]"));
    var weightsOut = form.querySelector("[data-weights-total]");
    if (weightsOut) {
      weightsOut.textContent = String(weights);
      show(form.querySelector("[data-weights-warning]"), weights !== 100);
      show(form.querySelector("[data-weights-ok]"), weights === 100);
    }
    var ratios = total(form.querySelectorAll("[data-ratio]"));
    var ratiosOut = form.querySelector("[data-ratios-total]");
    if (ratiosOut) {
      ratiosOut.textContent = String(ratios);
      show(form.querySelector("[data-ratios-warning]"), ratios > 100);
    }
  }

  // The tie-breaker selects: which round row each one names, so a renamed round stays chosen.
  var chosenRow = typeof WeakMap === "function" ? new WeakMap() : null;

  function roundRows(form) {
    return Array.prototype.slice.call(form.querySelectorAll("[data-row=rounds]"));
  }

  function roundName(row) {
    var input = Array.prototype.filter.call(row.querySelectorAll("[data-field=name]"), function (el) {
      return ownedBy(row, el);
    })[0];
    return input ? input.value.trim() : "";
  }

  function rememberTieBreakers(form) {
    if (!chosenRow) { return; }
    var rows = roundRows(form);
    form.querySelectorAll("[data-tie-breaker]").forEach(function (select) {
      var row = select.value ? rows.filter(function (r) { return roundName(r) === select.value; })[0] : null;
      if (row) { chosenRow.set(select, row); } else { chosenRow.delete(select); }
    });
  }

  function updateTieBreakers(form) {
    var names = [];
    roundRows(form).forEach(function (row) {
      var name = roundName(row);
      if (name && names.indexOf(name) < 0) { names.push(name); }
    });
    form.querySelectorAll("[data-tie-breaker]").forEach(function (select) {
      var value = select.value;
      var row = chosenRow ? chosenRow.get(select) : null;
      if (row) { value = row.isConnected ? roundName(row) : ""; }
      while (select.options.length > 1) { select.remove(1); }
      names.forEach(function (name) { select.add(new Option(name, name)); });
      if (value && names.indexOf(value) < 0) { select.add(new Option(value, value)); }
      select.value = value;
    });
  }

  function refresh(form) {
    updateSums(form);
    updateTieBreakers(form);
  }

  function addRow(form, button) {
    var template = document.getElementById(button.getAttribute("data-add-row"));
    var list = button.closest("[data-list]");
    var rows = list && list.querySelector(":scope > [data-rows]");
    if (!template || !rows) { return; }
    var row = template.content.firstElementChild.cloneNode(true);
    rows.appendChild(row);
    renumber(form);
    refresh(form);
    var first = row.querySelector("input, select, textarea");
    if (first) { first.focus(); }
  }

  function removeRow(form, button) {
    var row = button.closest("[data-row]");
    var list = row.parentElement.closest("[data-list]");
    row.remove();
    renumber(form);
    refresh(form);
    var add = list && list.querySelector("[data-add-row]");
    if (add) { add.focus(); }
  }

  function followLevel(select) {
    var scope = select.form || document;
    scope.querySelectorAll("[data-school-only]").forEach(function (el) {
      el.hidden = select.value === "provincial";
    });
  }

  document.querySelectorAll("[data-level-select]").forEach(function (select) {
    followLevel(select);
    select.addEventListener("change", function () { followLevel(select); });
  });

  var form = document.querySelector("[data-competition-form]");
  if (!form) { return; }
  form.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) { addRow(form, add); return; }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) { removeRow(form, remove); }
  });
  form.addEventListener("input", function (event) {
    if (event.target.hasAttribute("data-tie-breaker")) { rememberTieBreakers(form); }
    refresh(form);
  });
  form.addEventListener("change", function (event) {
    if (event.target.hasAttribute("data-tie-breaker")) { rememberTieBreakers(form); }
    if (event.target.hasAttribute("data-round-kind")) { refresh(form); }
  });
  rememberTieBreakers(form);
  refresh(form);
  var errors = document.getElementById("form-errors");
  if (errors) { errors.focus(); }
})();
