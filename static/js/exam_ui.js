// The sitting page's words and drawing: the page's JSON block (no inline script), t(), h(), the state of
// each question and of the grid, notices and the hand-in confirmation (a real <dialog>, as on the tablet).
export const config = JSON.parse(document.getElementById("exam-config").textContent);

// A word of the catalogue with its %(name)s placeholders filled in.
export const t = (key, vars = {}) =>
  (config.words[key] || key).replace(/%\((\w+)\)[sd]/g, (_m, name) => String(vars[name] ?? ""));

// An element with attributes, listeners (onclick: ...) and children; text is always text, never HTML.
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.className = value;
    else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      el.append(child.nodeType ? child : document.createTextNode(String(child)));
    }
  }
  return el;
}
export const icon = (name) => h("i", { class: `bi bi-${name}`, "aria-hidden": "true" });
export const $ = (selector) => document.querySelector(selector);
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// 1805 → "30:05"; 3725 → "1:02:05".
export function clockText(total) {
  const [hours, minutes, seconds] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const two = (n) => String(n).padStart(2, "0");
  return hours ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
}

// A line above the paper (sending, refused, waiting for the server); null removes it.
export function notice(text, kind = "warning") {
  let el = $("[data-notice]");
  if (!text) {
    if (el) el.remove();
    return;
  }
  if (!el) {
    el = h("p", { class: "ex-notice", "data-notice": true, role: "status", "data-testid": "notice" });
    $("#main").prepend(el);
  }
  el.className = `ex-notice is-${kind}`;
  el.textContent = text;
}

const STATE_ICONS = {
  saved: "check-circle-fill",
  saving: "arrow-repeat",
  local: "cloud-arrow-up-fill",
  rejected: "x-octagon-fill",
};

// view: {status(qid), answered(qid), marked: Set, rejected: {qid: message}, current: index}
export function renderCard(card, view) {
  const qid = card.dataset.question;
  const status = view.status(qid);
  const words = {
    saved: t("saved"),
    saving: t("saving"),
    local: t("local"),
    rejected: t("rejected", { message: view.rejected[qid] }),
    unanswered: t("unanswered"),
  };
  const el = card.querySelector("[data-q-state]");
  el.replaceChildren(...(STATE_ICONS[status] ? [icon(STATE_ICONS[status]), " "] : []), words[status]);
  el.className = `ex-q-state is-${status === "saved" ? "saved" : status === "unanswered" ? "todo" : "waiting"}`;
  el.dataset.status = status;
  for (const label of card.querySelectorAll(".ex-opt")) {
    label.classList.toggle("is-chosen", label.querySelector("input").checked);
  }
  const mark = card.querySelector("[data-mark]");
  const on = view.marked.has(qid);
  mark.setAttribute("aria-pressed", String(on));
  mark.replaceChildren(icon(on ? "flag-fill" : "flag"), " ", t(on ? "marked" : "mark"));
}

// Each number of the grid says answered / not answered, marked for review and not yet sent: an icon and
// words for screen readers, never the colour alone.
export function renderGrid(cards, cells, view) {
  cards.forEach((card, i) => {
    const qid = card.dataset.question;
    const status = view.status(qid);
    const done = view.answered(qid);
    const waiting = status === "local" || status === "saving" || status === "rejected";
    const marked = view.marked.has(qid);
    const cell = cells[i];
    cell.className = "ex-cell";
    cell.classList.toggle("is-done", done);
    cell.classList.toggle("is-marked", marked);
    cell.classList.toggle("is-waiting", waiting);
    cell.classList.toggle("is-current", i === view.current);
    cell.dataset.status = waiting ? "waiting" : done ? "done" : "todo";
    if (i === view.current) cell.setAttribute("aria-current", "step");
    else cell.removeAttribute("aria-current");
    const name = waiting ? "cloud-arrow-up-fill" : marked ? "flag-fill" : done ? "check-lg" : null;
    cell.querySelector("[data-cell-icon]").className = name ? `bi bi-${name}` : "bi";
    const words = [done ? t("legend_done") : t("legend_todo")];
    if (marked) words.push(t("legend_marked"));
    if (waiting) words.push(t("legend_waiting"));
    cell.querySelector("[data-cell-state]").textContent = ` ${words.join("，")}`;
  });
  const done = cards.filter((card) => view.answered(card.dataset.question)).length;
  $("[data-progress]").textContent = `${done}/${cards.length}`;
  $("[data-progress-words]").textContent = t("answered_n", { done, all: cards.length });
}

// 交卷: how many are not answered (and marked), asked once; the safe choice has the focus and the two
// buttons stand far apart.
export function confirmDialog({ left, marked, onOk }) {
  const dialog = h(
    "dialog",
    { class: "ex-confirm", "aria-labelledby": "confirm-title", "data-testid": "confirm" },
    h(
      "form",
      { method: "dialog" },
      h("h2", { id: "confirm-title" }, t("confirm_title")),
      h(
        "p",
        { class: `ex-confirm-count${left ? " is-left" : ""}`, "data-testid": "confirm-unanswered" },
        icon(left ? "exclamation-triangle-fill" : "check-circle-fill"),
        " ",
        left ? t("confirm_unanswered", { n: left }) : t("confirm_all"),
      ),
      marked ? h("p", {}, icon("flag-fill"), " ", t("confirm_marked", { n: marked })) : null,
      h("p", {}, t("confirm_text")),
      h(
        "div",
        { class: "ex-confirm-actions" },
        h("button", { value: "back", class: "ex-btn ex-btn-secondary", "data-testid": "confirm-back" }, t("confirm_back")),
        h("button", { value: "ok", class: "ex-btn ex-btn-primary", "data-testid": "confirm-ok" }, t("confirm_ok")),
      ),
    ),
  );
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (dialog.returnValue === "ok") onOk();
  });
  document.body.append(dialog);
  dialog.showModal();
  dialog.querySelector('[value="back"]').focus();
}

// What the page shows once the attempt is final: why, what was lost (if anything), the score, the receipt.
export function endPanel(data, lost) {
  const score = typeof data.score === "number" ? data.score.toFixed(config.decimals) : null;
  return h(
    "section",
    { class: "ex-end", role: "status", "data-testid": "end" },
    h("p", { class: "ex-end-title" }, icon("alarm"), " ", t(data.closed_by === "submit" ? "closed" : "time_up")),
    lost ? h("p", {}, t("time_up_lost", { n: lost })) : null,
    score === null
      ? null
      : h("p", { class: "ex-end-score num", "data-testid": "end-score" }, t("score", { score, max: data.max_score })),
    h("a", { class: "ex-btn ex-btn-primary", href: config.urls.receipt }, t("receipt")),
  );
}
