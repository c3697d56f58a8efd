// The score sheet of the tablet: one row per criterion with quick steps, the sticky panel with a tick per
// criterion and the running total, the confirmation that repeats everything, and the read-only receipt.
// Values are whole tenths (8.5 is 85) so that no binary fraction ever reaches a total.

import { drawLabel, fmt, h, icon, t } from "./tablet_ui.js";

let A = null; // the page (tablet.js): state, outbox and navigation

export function useApp(app) {
  A = app;
}

const STEPS = [-10, -5, 5, 10];
const maxTenths = (c) => Math.round(c.max_score * 10);
const criteriaOf = (item) => A.trackOf(item).round.criteria;

// "27.5" → 275; empty → null; otherwise the reason it is refused. Full-width digits and a decimal comma
// (some tablet keyboards) are read as what they mean.
export function parseScore(raw, max) {
  const text = String(raw)
    .trim()
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[，,．。]/g, ".");
  if (text === "") return { tenths: null };
  if (/^[-－]\s*\d*\.?\d*$/.test(text) && /\d/.test(text)) return { error: "negative" };
  if (!/^\d*\.?\d*$/.test(text) || !/\d/.test(text)) return { error: "nan" };
  const [whole, part = ""] = text.split(".");
  const decimals = part.replace(/0+$/, "");
  if (decimals.length > 1) return { error: "decimals" };
  const tenths = Number(whole || "0") * 10 + Number(decimals || "0");
  if (tenths > max) return { error: "above" };
  return { tenths };
}

function errorText(code, c) {
  const max = c.max_score;
  return {
    negative: t("err_negative"),
    nan: t("err_nan", { max }),
    decimals: t("err_decimals"),
    above: t("err_above", { max }),
  }[code];
}

const isLive = (item) => A.trackOf(item).round.mode === "live";

export function sheetShape(key) {
  const item = A.S.byKey.get(key);
  if (A.S.loading) return "loading";
  if (A.S.cannotLoad) return "cannot";
  if (A.isDone(item)) return "receipt";
  return !isLive(item) || item.on_stage ? "form" : "closed";
}

function totalOf(scores) {
  return Object.values(scores).reduce((sum, v) => sum + (v || 0), 0);
}

function missing(key) {
  const scores = A.current(key);
  return criteriaOf(A.S.byKey.get(key)).filter((c) => scores[c.id] === null || scores[c.id] === undefined);
}

// --- editing --------------------------------------------------------------------------------------------

function commit(key, id, tenths) {
  const item = A.S.byKey.get(key);
  const known = A.current(key);
  const scores = {};
  for (const c of criteriaOf(item)) scores[c.id] = known[c.id] ?? null; // every criterion: null clears
  scores[id] = tenths;
  if (A.S.notice && A.S.notice.kind === "error") A.S.notice = null;
  A.outbox.save({ round_id: item.round_id, entry_id: item.entry_id, draw_no: item.draw_no, scores, submit: false });
}

function edit(key, c, raw) {
  A.S.raw[c.id] = raw;
  const parsed = parseScore(raw, maxTenths(c));
  if (parsed.error) {
    A.S.errors[c.id] = errorText(parsed.error, c);
  } else {
    delete A.S.errors[c.id];
    commit(key, String(c.id), parsed.tenths);
  }
  A.render();
}

function step(key, c, delta) {
  const now = A.current(key)[c.id];
  if ((now === null || now === undefined) && delta < 0) return;
  const value = Math.max(0, Math.min(maxTenths(c), (now || 0) + delta));
  A.S.raw[c.id] = String(value / 10);
  delete A.S.errors[c.id];
  commit(key, String(c.id), value);
  A.render();
}

function full(key, c) {
  A.S.raw[c.id] = String(c.max_score);
  delete A.S.errors[c.id];
  commit(key, String(c.id), maxTenths(c));
  A.render();
}

// --- drawing --------------------------------------------------------------------------------------------

function notices(key) {
  const { S } = A;
  const item = S.byKey.get(key);
  const list = [];
  if (S.stageMoved) {
    list.push(
      h(
        "div",
        { class: "t-notice is-stage", role: "status" },
        icon("mic-fill"),
        " ",
        t("stage_moved", { no: drawLabel(S.stageMoved.draw_no) }),
        h("button", { type: "button", class: "t-btn t-btn-primary", onclick: () => A.openSheet(S.stageMoved) }, t("go")),
      ),
    );
  }
  if (S.notice) list.push(h("div", { class: `t-notice is-${S.notice.kind}`, role: "alert" }, icon("exclamation-triangle-fill"), " ", S.notice.text));
  const reason = (S.server[key] && S.server[key].reopened_reason) || item.reopened_reason;
  if (reason && !A.isDone(item)) {
    list.push(h("div", { class: "t-notice is-warn" }, icon("arrow-counterclockwise"), " ", t("reopened_reason", { reason })));
  }
  if (sheetShape(key) === "closed") list.push(h("div", { class: "t-notice is-info" }, icon("hourglass-split"), " ", t("not_open")));
  return list;
}

function row(key, c, index, closed) {
  const id = String(c.id);
  const input = h("input", {
    class: "t-input",
    type: "text",
    inputmode: "decimal",
    autocomplete: "off",
    enterkeyhint: "next",
    spellcheck: "false",
    placeholder: t("none"),
    id: `in-${id}`,
    "aria-labelledby": `name-${id}`,
    "aria-describedby": `err-${id}`,
    "data-testid": `score-${index + 1}`,
    disabled: closed,
    oninput: (e) => edit(key, c, e.target.value),
    onkeydown: (e) => {
      if (e.key !== "Enter") return;
      const inputs = [...document.querySelectorAll(".t-input:not(:disabled)")];
      const next = inputs[inputs.indexOf(e.target) + 1];
      if (next) next.focus();
      else e.target.blur();
    },
  });
  input.value = A.S.raw[id] ?? "";
  const stepButton = (delta) =>
    h(
      "button",
      {
        type: "button",
        class: "t-step",
        "data-step": delta,
        disabled: closed,
        "aria-label": `${c.name} ${delta > 0 ? "+" : "−"}${Math.abs(delta) / 10}`,
        onclick: () => step(key, c, delta),
      },
      `${delta > 0 ? "+" : "−"}${Math.abs(delta) / 10}`,
    );
  const desc = c.description
    ? h("p", { class: "t-desc", id: `desc-${id}`, hidden: true }, c.description)
    : null;
  return h(
    "section",
    { class: "t-crit", "data-cid": id },
    h(
      "div",
      { class: "t-crit-head" },
      h("span", { class: "t-crit-n" }, String(index + 1)),
      h("h2", { class: "t-crit-name", id: `name-${id}` }, c.name),
      h("span", { class: "t-max" }, t("max", { max: c.max_score })),
      desc
        ? h(
            "button",
            {
              type: "button",
              class: "t-info",
              "aria-expanded": "false",
              "aria-controls": `desc-${id}`,
              onclick: (e) => {
                const open = desc.hidden;
                desc.hidden = !open;
                e.currentTarget.setAttribute("aria-expanded", String(open));
              },
            },
            icon("info-circle"),
            " ",
            t("describe"),
          )
        : null,
      h("span", { class: "t-crit-state" }),
    ),
    desc,
    h(
      "div",
      { class: "t-controls" },
      stepButton(STEPS[0]),
      stepButton(STEPS[1]),
      input,
      stepButton(STEPS[2]),
      stepButton(STEPS[3]),
      h("button", { type: "button", class: "t-step t-full", disabled: closed, onclick: () => full(key, c) }, t("full")),
    ),
    h("p", { class: "t-error", id: `err-${id}` }),
  );
}

function panel(key, closed) {
  const crits = criteriaOf(A.S.byKey.get(key));
  const most = crits.reduce((sum, c) => sum + maxTenths(c), 0);
  return h(
    "aside",
    { class: "t-panel", "aria-label": t("total") },
    h(
      "ol",
      { class: "t-ticks" },
      crits.map((c, i) =>
        h(
          "li",
          { "data-cid": String(c.id) },
          h("span", { class: "t-tick-icon" }),
          h("span", { class: "t-tick-n" }, String(i + 1)),
          h("span", { class: "t-tick-name" }, c.name),
          h("span", { class: "t-tick-val" }),
        ),
      ),
    ),
    h(
      "div",
      { class: "t-total" },
      h("span", { class: "t-total-label" }, t("total")),
      h("output", { class: "t-total-value", "data-testid": "total" }),
      h("span", { class: "t-total-max" }, `/ ${fmt(most)}`),
    ),
    h("p", { class: "t-why", id: "t-why", "data-testid": "why", "aria-live": "polite" }),
    h(
      "div",
      { class: "t-actions" },
      h(
        "button",
        { type: "button", class: "t-btn t-btn-secondary", disabled: closed, onclick: () => A.outbox.sendNow(key) },
        icon("floppy"),
        " ",
        t("save_draft"),
      ),
      h(
        "button",
        { type: "button", class: "t-btn t-btn-primary t-submit", "data-testid": "submit", onclick: () => confirmSubmit(key) },
        icon("send-check"),
        " ",
        t("submit"),
      ),
    ),
  );
}

function receipt(key) {
  const { S } = A;
  const item = S.byKey.get(key);
  const waiting = A.outbox.get(key);
  const scores = A.current(key);
  const next = A.nextItem(item);
  let onward = null;
  if (next) {
    onward = h(
      "button",
      { type: "button", class: "t-btn t-btn-primary", "data-testid": "next", onclick: () => A.openSheet(next) },
      t("next"),
      ` · ${drawLabel(next.draw_no)} `,
      icon("arrow-right"),
    );
  } else if (isLive(item)) {
    onward = h("p", { class: "t-live", "data-testid": "wait-next" }, h("strong", {}, icon("hourglass-split"), " ", t("wait_next")), h("span", {}, t("wait_next_hint")));
  } else {
    onward = h("p", { class: "t-note is-done" }, icon("check2-all"), " ", t("all_done"));
  }
  return h(
    "div",
    { class: `t-receipt${waiting ? " is-waiting" : ""}`, "data-testid": "receipt" },
    h(
      "div",
      { class: "t-receipt-head" },
      icon(waiting ? "cloud-arrow-up-fill" : "lock-fill"),
      h("div", {}, h("h2", {}, t(waiting ? "waiting" : "receipt")), h("p", {}, waiting ? t("receipt_waiting") : t("sync_locked"))),
    ),
    h(
      "table",
      { class: "t-receipt-table" },
      h(
        "tbody",
        {},
        criteriaOf(item).map((c) =>
          h("tr", {}, h("th", { scope: "row" }, c.name), h("td", { class: "num" }, fmt(scores[c.id] || 0), h("span", { class: "t-of" }, ` / ${c.max_score}`))),
        ),
      ),
    ),
    h("div", { class: "t-receipt-total" }, h("span", {}, t("total")), h("strong", { class: "num", "data-testid": "receipt-total" }, fmt(totalOf(scores)))),
    h(
      "div",
      { class: "t-receipt-actions" },
      h("button", { type: "button", class: "t-btn t-btn-secondary", onclick: A.openQueue }, icon("arrow-left"), " ", t("back")),
      onward,
    ),
  );
}

export function renderSheet(root, key) {
  const shape = sheetShape(key);
  let body;
  if (shape === "loading") body = h("p", { class: "t-empty" }, t("loading"));
  else if (shape === "cannot") body = h("div", { class: "t-notice is-error" }, icon("wifi-off"), " ", t("cannot_load"));
  else if (shape === "receipt") body = receipt(key);
  else {
    const closed = shape === "closed";
    body = h(
      "div",
      { class: "t-sheet" },
      h("div", { class: "t-crits" }, criteriaOf(A.S.byKey.get(key)).map((c, i) => row(key, c, i, closed))),
      panel(key, closed),
    );
  }
  root.replaceChildren(
    h(
      "div",
      { class: "t-sheet-top" },
      shape === "receipt" // the receipt has its own way back, beside the next contestant
        ? null
        : h("button", { type: "button", class: "t-btn t-btn-ghost", onclick: A.openQueue }, icon("arrow-left"), " ", t("back")),
      h("div", { class: "t-notices" }, notices(key)),
    ),
    body,
  );
  updateSheet(root, key);
}

// Bring the rows and the panel up to date without touching the inputs the judge is typing in.
export function updateSheet(root, key) {
  const { S } = A;
  root.querySelector(".t-notices").replaceChildren(...notices(key));
  const shape = sheetShape(key);
  if (shape !== "form" && shape !== "closed") {
    if (shape === "receipt") root.querySelector(".t-receipt").replaceWith(receipt(key));
    return;
  }
  const scores = A.current(key);
  for (const c of criteriaOf(S.byKey.get(key))) {
    const id = String(c.id);
    const value = scores[id] ?? null;
    const error = S.errors[id] || null;
    const el = root.querySelector(`.t-crit[data-cid="${id}"]`);
    const input = el.querySelector("input");
    if (document.activeElement !== input) input.value = S.raw[id] ?? (value === null ? "" : String(value / 10));
    el.classList.toggle("is-invalid", Boolean(error));
    el.classList.toggle("is-empty", !error && value === null);
    el.classList.toggle("is-filled", !error && value !== null);
    input.setAttribute("aria-invalid", String(Boolean(error)));
    el.querySelector(".t-error").textContent = error || "";
    const state = el.querySelector(".t-crit-state");
    if (error) state.replaceChildren(icon("exclamation-octagon-fill"), " ", t("sync_unsaved"));
    else if (value === null) state.replaceChildren(icon("circle"), " ", t("none"));
    else state.replaceChildren(icon("check-circle-fill"), " ", fmt(value));
    for (const b of el.querySelectorAll("[data-step]")) {
      const delta = Number(b.dataset.step);
      b.disabled = shape === "closed" || (delta < 0 ? !value : value === maxTenths(c));
    }
    el.querySelector(".t-full").disabled = shape === "closed" || value === maxTenths(c);
    const tick = root.querySelector(`.t-ticks li[data-cid="${id}"]`);
    tick.className = error ? "is-invalid" : value === null ? "is-empty" : "is-filled";
    tick.querySelector(".t-tick-icon").replaceChildren(icon(error ? "exclamation-octagon-fill" : value === null ? "circle" : "check-circle-fill"));
    tick.querySelector(".t-tick-val").textContent = value === null ? t("none") : fmt(value);
  }
  root.querySelector(".t-total-value").textContent = fmt(totalOf(scores));
  const invalid = Object.keys(S.errors).length;
  const left = missing(key).length;
  const why = invalid ? t("invalid_n", { n: invalid }) : left ? t("left_n", { n: left }) : "";
  root.querySelector(".t-why").textContent = why;
  const submit = root.querySelector(".t-submit");
  submit.disabled = shape === "closed" || Boolean(why);
  if (why) submit.setAttribute("aria-describedby", "t-why");
  else submit.removeAttribute("aria-describedby");
}

// --- submitting -----------------------------------------------------------------------------------------

function confirmSubmit(key) {
  const { S } = A;
  const item = S.byKey.get(key);
  if (Object.keys(S.errors).length || missing(key).length) return;
  const scores = A.current(key);
  const dialog = h(
    "dialog",
    { class: "t-confirm", "aria-labelledby": "confirm-title", "data-testid": "confirm" },
    h(
      "form",
      { method: "dialog" },
      h("h2", { id: "confirm-title" }, t("confirm_title")),
      h("div", { class: "t-confirm-no", "data-testid": "confirm-no" }, drawLabel(item.draw_no)),
      h("p", { class: "t-confirm-round" }, `${A.trackOf(item).round.name} · ${A.trackOf(item).group.name}`),
      h(
        "table",
        { class: "t-receipt-table" },
        h(
          "tbody",
          {},
          criteriaOf(item).map((c) =>
            h("tr", {}, h("th", { scope: "row" }, c.name), h("td", { class: "num" }, fmt(scores[c.id]), h("span", { class: "t-of" }, ` / ${c.max_score}`))),
          ),
        ),
      ),
      h("div", { class: "t-receipt-total" }, h("span", {}, t("total")), h("strong", { class: "num", "data-testid": "confirm-total" }, fmt(totalOf(scores)))),
      h("p", { class: "t-confirm-text" }, icon("lock"), " ", t("confirm_text")),
      h(
        "div",
        { class: "t-confirm-actions" },
        h("button", { value: "back", class: "t-btn t-btn-secondary", "data-testid": "confirm-back" }, icon("arrow-left"), " ", t("confirm_back")),
        h("button", { value: "ok", class: "t-btn t-btn-primary", "data-testid": "confirm-ok" }, icon("send-check"), " ", t("confirm_ok")),
      ),
    ),
  );
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (dialog.returnValue !== "ok" || A.S.key !== key) return;
    A.outbox.save({ round_id: item.round_id, entry_id: item.entry_id, draw_no: item.draw_no, scores, submit: true });
    A.S.notice = null;
    A.render(true);
    window.scrollTo(0, 0);
  });
  document.body.append(dialog);
  dialog.showModal();
  dialog.querySelector('[value="back"]').focus(); // the safe choice has the focus
}
