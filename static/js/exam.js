// The written test on a phone, over the paper the server rendered: one question per screen, a question grid,
// a countdown from the server's seconds_left counted with performance.now() (never by counting ticks, so a
// throttled background tab cannot drift) and corrected by every answer from the server, and each choice
// saved at once through the API and kept on the device until the server confirms it.
import { $, clockText, config, confirmDialog, endPanel, h, icon, notice, renderCard, renderGrid, sleep, t } from "./exam_ui.js";
import { call, Link, readStore, writeStore } from "./outbox.js";

const MAX_BACKOFF = 30000;
const LOW_SECONDS = 300;
const storeKey = `exam.v1.${config.user}.${config.attempt}`;

const form = document.getElementById("paper");
const cards = Array.from(form.querySelectorAll("[data-question]"));
const cells = Array.from(document.querySelectorAll("[data-go]"));
const stored = readStore(storeKey, {});

// S: what the page knows. pending (question id → {keys, rev}) is what was chosen here and not yet confirmed
// by the server; it lives in localStorage until then, so a reload or a dropped connection loses nothing.
const S = {
  saved: { ...config.saved },
  pending: stored.pending || {},
  marked: new Set((stored.marked || []).map(String)),
  rev: stored.rev || 0,
  rejected: {},
  current: 0,
  inflight: null,
  failures: 0,
  failing: false,
  auth: true,
  retryTimer: null,
  base: config.seconds_left,
  at: performance.now(),
  closed: false,
  ending: false,
  csrf: config.csrf,
  storeOk: true,
};

const link = new Link({
  url: config.urls.heartbeat,
  onChange: (state, before) => {
    if (state === "online" && before === "offline") retryNow();
    renderBanner();
  },
});

function persist() {
  S.storeOk = writeStore(storeKey, { pending: S.pending, marked: [...S.marked], rev: S.rev, current: S.current });
}

function forget() {
  try {
    window.localStorage.removeItem(storeKey);
  } catch (_e) {
    // nothing was kept
  }
}

// --- answers ----------------------------------------------------------------------------------------------

const keysOf = (card) => Array.from(card.querySelectorAll("input:checked"), (i) => i.value).sort();
const chosen = (qid) => (S.pending[qid] ? S.pending[qid].keys : S.saved[qid] || []);
const answered = (qid) => chosen(qid).length > 0;
const pendingCount = () => Object.keys(S.pending).length;

function statusOf(qid) {
  if (S.rejected[qid] !== undefined) return "rejected";
  if (S.pending[qid]) return S.inflight && qid in S.inflight ? "saving" : "local";
  return answered(qid) ? "saved" : "unanswered";
}

function choose(card) {
  const qid = card.dataset.question;
  S.rev += 1;
  S.pending[qid] = { keys: keysOf(card), rev: S.rev };
  delete S.rejected[qid];
  persist();
  render();
  flush();
}

async function refreshCsrf() {
  try {
    const r = await call("GET", config.urls.csrf);
    if (r.status === 200 && r.data) S.csrf = r.data.csrf_token;
  } catch (_e) {
    // offline: asked again at the next try
  }
}

function failed() {
  S.failures += 1;
  S.failing = true;
  const delay = Math.min(MAX_BACKOFF, 1000 * 2 ** Math.min(S.failures, 5));
  clearTimeout(S.retryTimer);
  S.retryTimer = setTimeout(flush, delay * (0.8 + Math.random() * 0.4));
  render();
}

function retryNow() {
  S.failures = 0;
  clearTimeout(S.retryTimer);
  flush();
}

// Send every unconfirmed answer in one PUT (resending the same answer is harmless); one request at a time.
async function flush() {
  if (S.inflight || S.closed) return;
  clearTimeout(S.retryTimer);
  const answers = {};
  const revs = {};
  for (const [qid, item] of Object.entries(S.pending)) {
    if (S.rejected[qid] === undefined) [answers[qid], revs[qid]] = [item.keys, item.rev];
  }
  if (!Object.keys(revs).length) return;
  S.inflight = revs;
  render();
  let r = null;
  try {
    r = await call("PUT", config.urls.answers, { body: { answers }, headers: { "X-CSRFToken": S.csrf } });
  } catch (_e) {
    r = null;
  }
  S.inflight = null;
  if (r === null) {
    link.report(false);
    failed();
    return;
  }
  link.report(r.status < 500, { auth: r.status !== 401 });
  const error = (r.data && r.data.error) || {};
  if (r.status === 200) {
    [S.failures, S.failing, S.auth] = [0, false, true];
    for (const [qid, rev] of Object.entries(revs)) {
      S.saved[qid] = answers[qid];
      if (S.pending[qid] && S.pending[qid].rev === rev) delete S.pending[qid];
    }
    if (r.data && typeof r.data.seconds_left === "number") correct(r.data.seconds_left);
    persist();
    render();
    if (pendingCount()) flush();
  } else if (r.status === 409) {
    timeUp();
  } else if (r.status === 422) {
    const named = (error.details || []).filter((d) => String(d.field || "").replace(/^answers\./, "") in revs);
    for (const d of named) S.rejected[String(d.field).replace(/^answers\./, "")] = d.message || error.message;
    if (!named.length) for (const qid of Object.keys(revs)) S.rejected[qid] = error.message || "";
    render();
    flush(); // the others go again
  } else {
    if (r.status === 400 && error.code === "csrf_failed") await refreshCsrf();
    S.auth = r.status !== 401;
    failed(); // 401, 403, 429, 5xx: kept here and sent again later
  }
}

// Wait (a while) until everything chosen here is confirmed; true when it is.
async function settle(ms) {
  const until = performance.now() + ms;
  retryNow();
  while (performance.now() < until) {
    if (!pendingCount() && !S.inflight) return true;
    if (!S.inflight && !S.failing) flush();
    await sleep(150);
  }
  return !pendingCount();
}

// --- the clock --------------------------------------------------------------------------------------------

const secondsLeft = () => Math.max(0, S.base - (performance.now() - S.at) / 1000);

function correct(seconds) {
  S.base = seconds;
  S.at = performance.now();
}

function tick() {
  const left = secondsLeft();
  const whole = Math.ceil(left);
  $("[data-remaining]").textContent = clockText(whole);
  $("[data-clock]").classList.toggle("is-low", whole > 0 && whole <= LOW_SECONDS);
  $("[data-clock]").classList.toggle("is-over", whole === 0);
  if (left <= 0 && !S.closed) timeUp();
  if (!S.closed) setTimeout(tick, 1000 - ((performance.now() - S.at) % 1000) + 20);
}

async function readAttempt() {
  try {
    const r = await call("GET", config.urls.attempt);
    link.report(r.status < 500, { auth: r.status !== 401 });
    return r.status === 200 && r.data ? r.data : null;
  } catch (_e) {
    link.report(false);
    return null;
  }
}

async function sync() {
  const data = await readAttempt();
  if (!data || S.closed) return;
  if (data.status === "submitted") finished(data);
  else if (typeof data.seconds_left === "number") correct(data.seconds_left);
}

// The device's clock reached 0: the server decides (reading the attempt marks it once its deadline passed).
async function timeUp() {
  if (S.ending) return;
  S.ending = true;
  form.classList.add("is-closed");
  form.querySelectorAll("input").forEach((input) => (input.disabled = true));
  notice(t("waiting_mark"));
  for (;;) {
    const data = await readAttempt();
    if (data && data.status === "submitted") return finished(data);
    if (data && data.seconds_left > 0) {
      correct(data.seconds_left); // this device ran fast: carry on
      S.ending = false;
      form.classList.remove("is-closed");
      form.querySelectorAll("input").forEach((input) => (input.disabled = false));
      notice(null);
      flush();
      return;
    }
    await sleep(2000);
  }
}

function finished(data) {
  const lost = pendingCount();
  S.closed = true;
  S.pending = {};
  forget();
  notice(null);
  form.hidden = true;
  $("[data-pager]").hidden = true;
  $("[data-submit]").hidden = true;
  $("[data-grid]").hidden = true;
  $("[data-grid-toggle]").hidden = true;
  $("#main").prepend(endPanel(data, lost));
  correct(0);
  tick();
  render();
}

// --- handing in -------------------------------------------------------------------------------------------

function confirmSubmit() {
  if (S.closed || S.ending) return;
  const left = cards.filter((card) => !answered(card.dataset.question)).length;
  const marked = cards.filter((card) => S.marked.has(card.dataset.question)).length;
  confirmDialog({ left, marked, onOk: handIn });
}

async function handIn() {
  notice(t("sending"), "success");
  if (!(await settle(10000))) {
    notice(t("not_sent", { n: pendingCount() }), "danger");
    return;
  }
  for (let tries = 0; tries < 2; tries += 1) {
    let r = null;
    try {
      r = await call("POST", config.urls.submit, { body: {}, headers: { "X-CSRFToken": S.csrf } });
    } catch (_e) {
      r = null;
    }
    if (r && r.status === 200) {
      S.closed = true;
      forget();
      window.location.assign(config.urls.receipt);
      return;
    }
    if (!(r && r.status === 400)) break;
    await refreshCsrf();
  }
  notice(t("submit_failed"), "danger");
}

// --- drawing ----------------------------------------------------------------------------------------------

function renderBanner() {
  const el = $("[data-banner]");
  const n = pendingCount();
  el.className = "ex-banner";
  if (S.closed) {
    el.replaceChildren();
  } else if (!S.auth) {
    el.className = "ex-banner is-auth";
    el.replaceChildren(icon("person-lock"), " ", t("logged_out"), " ", h("a", { href: config.urls.login }, t("log_in")));
  } else if (n && (S.failing || link.state === "offline" || !S.storeOk)) {
    el.replaceChildren(icon("wifi-off"), " ", t(link.state === "offline" ? "offline_banner" : "failing_banner", { n }));
  } else {
    el.replaceChildren();
  }
  el.hidden = !el.childNodes.length;
}

const view = () => ({ status: statusOf, answered, marked: S.marked, rejected: S.rejected, current: S.current });

function render() {
  const now = view();
  for (const card of cards) renderCard(card, now);
  renderGrid(cards, cells, now);
  renderBanner();
}

function show(index) {
  S.current = Math.max(0, Math.min(cards.length - 1, index));
  cards.forEach((card, i) => card.classList.toggle("is-current", i === S.current));
  $("[data-prev]").disabled = S.current === 0;
  const last = S.current === cards.length - 1;
  $("[data-next]").replaceChildren(...(last ? [icon("send-check"), " ", t("confirm_ok")] : [t("next"), " ", icon("chevron-right")]));
  $("[data-next]").dataset.mode = last ? "submit" : "next";
  $("[data-position]").textContent = t("question_n", { n: S.current + 1, all: cards.length });
  history.replaceState(null, "", `#q-${S.current + 1}`);
  persist();
  renderGrid(cards, cells, view());
  window.scrollTo(0, 0);
}

function toggleGrid(open) {
  const button = $("[data-grid-toggle]");
  const grid = $("[data-grid]");
  const next = open ?? grid.hidden;
  grid.hidden = !next;
  button.setAttribute("aria-expanded", String(next));
}

// --- start ------------------------------------------------------------------------------------------------

function boot() {
  for (const card of cards) {
    const item = S.pending[card.dataset.question];
    if (item) card.querySelectorAll("input").forEach((input) => (input.checked = item.keys.includes(input.value)));
    card.querySelector("[data-mark]").hidden = false;
    card.tabIndex = -1;
  }
  form.classList.add("is-live", "is-paged");
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", (event) => {
    const card = event.target.closest("[data-question]");
    if (card && !S.closed && !S.ending) choose(card);
  });
  form.addEventListener("click", (event) => {
    const mark = event.target.closest("[data-mark]");
    if (!mark) return;
    const qid = mark.closest("[data-question]").dataset.question;
    if (S.marked.has(qid)) S.marked.delete(qid);
    else S.marked.add(qid);
    persist();
    render();
  });
  for (const el of ["[data-pager]", "[data-submit]", "[data-grid-toggle]"]) $(el).hidden = false;
  $("[data-clock-label]").textContent = t("left");
  $("[data-prev]").addEventListener("click", () => show(S.current - 1));
  $("[data-next]").addEventListener("click", (event) =>
    event.currentTarget.dataset.mode === "submit" ? confirmSubmit() : show(S.current + 1),
  );
  $("[data-submit]").addEventListener("click", confirmSubmit);
  $("[data-grid-toggle]").addEventListener("click", () => toggleGrid());
  cells.forEach((cell, i) =>
    cell.addEventListener("click", () => {
      toggleGrid(false);
      show(i);
    }),
  );
  window.addEventListener("online", retryNow); // a hint to try now, not a verdict
  window.addEventListener("beforeunload", (event) => {
    if (pendingCount() && !S.closed) {
      event.preventDefault();
      event.returnValue = ""; // the browser asks whether to leave with answers not yet saved
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) sync();
  });
  const fromHash = Number((location.hash.match(/^#q-(\d+)$/) || [])[1]);
  show(fromHash ? fromHash - 1 : stored.current || 0);
  render();
  tick();
  sync();
  link.start();
  flush();
}

boot();
