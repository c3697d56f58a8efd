// The judge's tablet: the queue by draw number, the score sheet, the confirmation, the receipt, and the
// stage poller that makes a live round follow the organizer. Every change goes through the outbox first.
import { call, Link, Outbox, readStore, writeStore } from "./outbox.js";
import { renderQueue, useApp as queueUses } from "./tablet_queue.js";
import { renderSheet, sheetShape, updateSheet, useApp as sheetUses } from "./tablet_sheet.js";
import { config, drawLabel, h, icon, t } from "./tablet_ui.js";

const STAGE_EVERY = 2000;
const QUEUE_EVERY = 30000;

const storeKey = (name) => `tablet.v1.${config.user}.${name}`;
const cached = readStore(storeKey("cache"), {});

// S: what the page knows. queue and server (the last sheets read from the server, scores in tenths) are
// cached on the device so that a reload without network still shows the queue and the unsent sheets.
const S = {
  queue: null,
  queueAt: 0,
  tracks: [],
  byKey: new Map(),
  trackId: readStore(storeKey("track"), null),
  view: "queue",
  key: null,
  server: cached.server || {},
  raw: {},
  errors: {},
  notice: null,
  loading: false,
  cannotLoad: false,
  stageEtag: null,
  stageSig: null,
  followed: {},
  stageMoved: null,
  rendered: null,
};

const keyOf = (item) => Outbox.key(item.round_id, item.entry_id);
const sheetUrl = (roundId, entryId) =>
  config.urls.sheet.replace("{round}", roundId).replace("{entry}", entryId);

function saveCache() {
  writeStore(storeKey("cache"), { queue: S.queue, server: S.server });
}

const link = new Link({ url: config.urls.heartbeat, onChange: linkChanged });
const outbox = new Outbox({
  user: config.user,
  sheetUrl,
  csrf: { token: config.csrf, url: config.urls.csrf },
  link,
  onChange: () => render(),
  onSettled: settled,
  onRefused: refused,
});

// --- the queue ------------------------------------------------------------------------------------------

function buildTracks(queue) {
  const tracks = [];
  for (const c of queue.competitions) {
    for (const g of c.groups) {
      for (const r of c.rounds) {
        if (!r.criteria.length) continue; // exam rounds have no sheet
        const items = queue.items
          .filter((i) => i.competition_id === c.id && i.group_id === g.id && i.round_id === r.id)
          .sort((a, b) => (a.draw_no ?? 1e9) - (b.draw_no ?? 1e9) || a.entry_id - b.entry_id);
        tracks.push({ id: `${c.id}.${g.id}.${r.id}`, competition: c, group: g, round: r, items });
      }
    }
  }
  return tracks;
}

const trackOf = (item) =>
  S.tracks.find((tr) => tr.round.id === item.round_id && tr.group.id === item.group_id) || null;
const currentTrack = () => S.tracks.find((tr) => tr.id === S.trackId) || null;

function statusOf(item) {
  const key = keyOf(item);
  const waiting = outbox.get(key);
  if (waiting) return waiting.held ? "held" : "waiting";
  const known = S.server[key] || item;
  const status = S.server[key] ? known.status : item.sheet_status;
  return status === "draft" && known.reopened_reason ? "reopened" : status;
}

// The judge's part is done for this sheet: submitted, or submitted here and on its way.
function isDone(item) {
  const waiting = outbox.get(keyOf(item));
  if (waiting) return waiting.submit && !(waiting.held && waiting.held.code === "validation_failed");
  return statusOf(item) === "submitted";
}

function chooseTrack() {
  const live = S.tracks.find((tr) => tr.round.mode === "live" && tr.items.some((i) => i.on_stage && !isDone(i)));
  const open = S.tracks.find((tr) => tr.items.some((i) => !isDone(i)));
  return (live || open || S.tracks[0] || { id: null }).id;
}

function setQueue(queue) {
  S.queue = queue;
  S.queueAt = Date.now();
  S.tracks = buildTracks(queue);
  S.byKey = new Map(queue.items.map((i) => [keyOf(i), i]));
  for (const item of queue.items) {
    const key = keyOf(item);
    const known = S.server[key];
    const changed =
      known && (known.status !== item.sheet_status || (known.reopened_reason || null) !== (item.reopened_reason || null));
    if (changed && key !== S.key) delete S.server[key];
    if (changed && key === S.key && !outbox.get(key)) {
      fetchSheet(key).then(() => {
        fillRaw(key);
        render(true); // e.g. the receipt becomes a sheet again when the organizer reopens it
      });
    }
  }
  if (!currentTrack()) S.trackId = chooseTrack();
}

async function loadQueue() {
  let r = null;
  try {
    r = await call("GET", config.urls.queue);
  } catch (_e) {
    link.report(false);
    return false;
  }
  link.report(r.status < 500, { auth: r.status !== 401 });
  if (r.status !== 200 || !r.data) return false;
  setQueue(r.data);
  saveCache();
  return true;
}

async function fetchSheet(key) {
  const item = S.byKey.get(key);
  let r = null;
  try {
    r = await call("GET", sheetUrl(item.round_id, item.entry_id));
  } catch (_e) {
    link.report(false);
    return false;
  }
  link.report(r.status < 500, { auth: r.status !== 401 });
  if (r.status !== 200 || !r.data) return false;
  const scores = {};
  for (const [id, value] of Object.entries(r.data.scores)) scores[id] = Math.round(value * 10);
  S.server[key] = {
    status: r.data.status,
    scores,
    total: Math.round(r.data.total * 10),
    reopened_reason: r.data.reopened_reason,
  };
  item.sheet_status = r.data.status;
  item.reopened_reason = r.data.reopened_reason;
  saveCache();
  return true;
}

function selectTrack(id) {
  S.trackId = id;
  writeStore(storeKey("track"), id);
  render(true);
  follow(true);
}

// --- navigation -----------------------------------------------------------------------------------------

function openSheet(item) {
  location.hash = `#/sheet/${item.round_id}/${item.entry_id}`;
}

function openQueue() {
  if (location.hash) history.pushState(null, "", location.pathname + location.search);
  route();
}

// The next contestant of the round still to score after this one (draw order, wrapping round).
function nextItem(item) {
  const tr = trackOf(item);
  if (!tr || tr.round.mode === "live") return null;
  const at = tr.items.indexOf(item);
  const order = [...tr.items.slice(at + 1), ...tr.items.slice(0, at)];
  return order.find((i) => !isDone(i)) || null;
}

async function showSheet(key) {
  const item = S.byKey.get(key);
  if (S.key !== key || S.view !== "sheet") {
    S.key = key;
    S.raw = {};
    S.errors = {};
    S.notice = null;
    S.stageMoved = null;
    S.loading = false;
    S.cannotLoad = false;
  }
  S.view = "sheet";
  S.trackId = trackOf(item).id;
  const mustRead = !outbox.get(key) && item.sheet_status !== "none";
  if (mustRead) {
    S.loading = true;
    render(true);
    const ok = await fetchSheet(key);
    if (S.key !== key) return;
    S.loading = false;
    S.cannotLoad = !ok && !S.server[key];
  }
  fillRaw(key);
  render(true);
  window.scrollTo(0, 0);
}

function current(key) {
  const waiting = outbox.get(key);
  if (waiting) return waiting.scores;
  return S.server[key] ? S.server[key].scores : {};
}

function fillRaw(key) {
  const scores = current(key);
  S.raw = {};
  for (const [id, tenths] of Object.entries(scores)) {
    S.raw[id] = tenths === null || tenths === undefined ? "" : String(tenths / 10);
  }
}

function route() {
  const match = location.hash.match(/^#\/sheet\/(\d+)\/(\d+)$/);
  const key = match ? Outbox.key(match[1], match[2]) : null;
  if (key && S.byKey.has(key)) {
    showSheet(key);
    return;
  }
  S.view = "queue";
  S.key = null;
  render(true);
}

// --- the live round -------------------------------------------------------------------------------------

// After the stage changed: open the contestant now on stage, unless the judge is still working on another
// sheet (then a banner offers the way). `force`: also when the stage has not moved (a track was chosen).
function follow(force = false) {
  const tr = currentTrack();
  if (!tr || tr.round.mode !== "live") return;
  const stage = tr.items.find((i) => i.on_stage) || null;
  const key = stage ? keyOf(stage) : null;
  const moved = S.followed[tr.id] !== key;
  S.followed[tr.id] = key;
  if (!stage || (!moved && !force) || isDone(stage) || (S.view === "sheet" && S.key === key)) return;
  const open = S.view === "sheet" ? S.byKey.get(S.key) : null;
  const busy = open && !isDone(open) && Object.values(current(S.key)).some((v) => v !== null && v !== undefined);
  if (busy) {
    S.stageMoved = stage; // never pull a half-filled sheet from under the judge's fingers
    render();
  } else {
    openSheet(stage);
  }
}

async function pollStage() {
  let r = null;
  try {
    r = await call("GET", config.urls.stage, {
      headers: S.stageEtag ? { "If-None-Match": S.stageEtag } : {},
      timeout: 5000,
    });
  } catch (_e) {
    link.report(false);
  }
  if (r) {
    link.report(r.status < 500, { auth: r.status !== 401 });
    if (r.status === 200 && r.data) {
      S.stageEtag = r.headers.get("ETag");
      const sig = JSON.stringify(r.data.stages);
      if (sig !== S.stageSig) {
        const first = S.stageSig === null; // the queue loaded at start-up already holds this stage
        S.stageSig = sig;
        if (!first) await loadQueue();
        outbox.retry();
        render();
        follow();
      }
    }
  }
  setTimeout(pollStage, STAGE_EVERY);
}

// --- answers from the outbox ----------------------------------------------------------------------------

function settled(key, answer, item) {
  const before = S.server[key];
  S.server[key] = {
    status: answer.status,
    scores: item.scores,
    total: Math.round(answer.total * 10),
    reopened_reason: answer.status === "submitted" ? null : before && before.reopened_reason,
  };
  const queued = S.byKey.get(key);
  if (queued) {
    queued.sheet_status = answer.status;
    queued.total = answer.total;
  }
  saveCache();
  if (answer.status === "submitted") loadQueue().then(() => render());
}

function refused(key, error, item) {
  if (error.code === "already_submitted" || error.code === "reopened") {
    delete S.server[key];
    if (S.key === key) S.notice = { kind: "warn", text: t(error.code === "reopened" ? "reopened_conflict" : "other_device") };
    fetchSheet(key).then(() => {
      if (S.key === key) fillRaw(key);
      render(S.key === key);
      loadQueue().then(() => render());
    });
    return;
  }
  if (S.key === key) {
    S.notice = { kind: "error", text: t("held_msg", { message: error.message || "" }) };
    for (const d of error.details || []) {
      const id = String(d.field || "").replace(/^scores\./, "");
      if (id && item.scores && id in item.scores) S.errors[id] = d.message;
    }
  }
  render(S.key === key); // another sheet's refusal never rebuilds the one being typed in
}

function linkChanged(state, before) {
  if (state === "online" && (before === "offline" || before === "auth")) {
    outbox.retry();
    loadQueue().then(() => render());
  }
  render();
}

// --- the page around it ---------------------------------------------------------------------------------

function header() {
  const draw = document.querySelector("[data-draw]");
  const round = document.querySelector("[data-round]");
  const seat = document.querySelector("[data-seat]");
  const item = S.view === "sheet" ? S.byKey.get(S.key) : null;
  const tr = item ? trackOf(item) : currentTrack();
  draw.textContent = item ? drawLabel(item.draw_no) : t("queue");
  draw.classList.toggle("is-label", !item);
  round.textContent = tr ? `${tr.round.name} · ${tr.group.name}` : "";
  seat.textContent = tr && tr.group.seat ? t("seat", { n: tr.group.seat }) : "";
}

function pill() {
  const state = link.state;
  const linkEl = document.querySelector("[data-link]");
  const syncEl = document.querySelector("[data-sync]");
  const offline = state === "offline";
  linkEl.replaceChildren(icon(offline ? "wifi-off" : "wifi"), " ", t(offline ? "offline" : "online"));
  linkEl.className = `t-link is-${state}`;
  let sync = "";
  let kind = "ok";
  let name = "cloud-check";
  if (S.view === "sheet" && S.key) {
    const item = S.byKey.get(S.key);
    const waiting = outbox.get(S.key);
    if (Object.keys(S.errors).length || !outbox.saved) [sync, kind, name] = [t("sync_unsaved"), "bad", "exclamation-circle"];
    else if (waiting) [sync, kind, name] = [t("sync_local"), "local", "device-ssd"];
    else if (statusOf(item) === "submitted") [sync, kind, name] = [t("sync_locked"), "ok", "lock-fill"];
    else if (statusOf(item) !== "none") [sync, kind, name] = [t("sync_synced"), "ok", "cloud-check"];
  } else {
    const n = outbox.size();
    [sync, kind, name] = n ? [t("pending_n", { n }), "local", "cloud-arrow-up"] : [t("all_sent"), "ok", "cloud-check"];
  }
  syncEl.replaceChildren(...(sync ? [icon(name), " ", sync] : []));
  syncEl.className = `t-sync is-${kind}`;
  syncEl.hidden = !sync;
  document.querySelector("[data-pill]").dataset.state = state;
}

function banner() {
  const el = document.querySelector("[data-banner]");
  if (link.state === "offline") {
    el.replaceChildren(icon("wifi-off"), " ", t("offline_banner"));
    el.className = "t-banner is-offline";
  } else if (link.state === "auth") {
    el.replaceChildren(icon("person-lock"), " ", t("logged_out"), " ", h("a", { href: config.urls.login }, t("log_in")));
    el.className = "t-banner is-auth";
  } else {
    el.replaceChildren();
    el.className = "t-banner";
  }
  el.hidden = !el.childNodes.length;
}

// Draw what changed; `full` rebuilds the view (never while the judge types in the same sheet: then only the
// parts around the inputs are updated, so focus and the keyboard stay where they are).
function render(full = false) {
  const top = document.querySelector(".t-header").offsetHeight;
  document.documentElement.style.setProperty("--head-h", `${top}px`);
  header();
  pill();
  banner();
  const queueView = document.getElementById("queue-view");
  const sheetView = document.getElementById("sheet-view");
  queueView.hidden = S.view !== "queue";
  sheetView.hidden = S.view !== "sheet";
  if (S.view === "queue") {
    S.rendered = null;
    renderQueue();
    return;
  }
  if (!S.queue || !S.byKey.has(S.key)) return;
  const shape = sheetShape(S.key);
  if (full || !S.rendered || S.rendered.key !== S.key || S.rendered.shape !== shape) {
    renderSheet(sheetView, S.key);
    S.rendered = { key: S.key, shape };
  } else {
    updateSheet(sheetView, S.key);
  }
}

function boot() {
  // what the queue and sheet modules read and call (they import nothing from here: no import cycle)
  const app = {
    S,
    outbox,
    keyOf,
    trackOf,
    currentTrack,
    statusOf,
    isDone,
    current,
    nextItem,
    render,
    openSheet,
    openQueue,
    selectTrack,
  };
  queueUses(app);
  sheetUses(app);
  if (cached.queue) setQueue(cached.queue);
  window.addEventListener("hashchange", route);
  window.addEventListener("popstate", route);
  route();
  loadQueue().then(() => {
    route();
    follow(true);
  });
  pollStage();
  setInterval(() => loadQueue().then(() => render()), QUEUE_EVERY);
  link.start();
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(config.urls.sw, { scope: config.urls.scope }).catch(() => {});
  }
}

boot();
