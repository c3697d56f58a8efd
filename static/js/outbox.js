// The tablet's outbox: every change to a score sheet is written to local storage at once, then sent to the
// server with the sheet's client_token, and kept until the server confirms it. A resent submission carries
// the same token, so the server accepts it once. Connection is judged by real requests (a small heartbeat and
// the answers to our own calls), never by navigator.onLine, which says "online" on any LAN.

const DRAFT_DELAY = 700; // ms of quiet typing before a draft goes out
const MAX_BACKOFF = 30000;
const TIMEOUT = 8000;
// Refusals that may pass later (the stage moves back, the competition reopens): kept and retried on demand.
const HELD_CODES = new Set(["not_on_stage", "wrong_state", "forbidden", "not_found", "validation_failed"]);
// Refusals that end an item: the server's sheet wins and the page shows it.
const FINAL_CODES = new Set(["already_submitted", "reopened"]);

export function uuid() {
  if (window.crypto && crypto.randomUUID && window.isSecureContext) {
    return crypto.randomUUID();
  }
  const b = crypto.getRandomValues(new Uint8Array(16)); // available over plain HTTP too
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function readStore(key, fallback) {
  try {
    const text = window.localStorage.getItem(key);
    return text ? JSON.parse(text) : fallback;
  } catch (_e) {
    return fallback;
  }
}

export function writeStore(key, value) {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch (_e) {
    return false; // full or forbidden: the page says "not saved"
  }
}

// fetch with a time limit; resolves to {status, data, headers} or throws on a network failure.
export async function call(method, url, { body, headers = {}, timeout = TIMEOUT } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  try {
    const response = await fetch(url, {
      method,
      headers: { Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
      credentials: "same-origin",
      cache: "no-store",
      redirect: "error",
      signal: controller.signal,
    });
    let data = null;
    if (response.status !== 204 && response.status !== 304) {
      data = await response.json().catch(() => null);
    }
    return { status: response.status, data, headers: response.headers };
  } finally {
    clearTimeout(timer);
  }
}

// Whether the server can be reached: "online", "offline", "unknown", or "auth" (reachable, but logged out).
export class Link {
  constructor({ url, onChange }) {
    this.url = url;
    this.onChange = onChange;
    this.state = "unknown";
    this.timer = null;
    window.addEventListener("online", () => this.ping()); // a hint to look now, not a verdict
    window.addEventListener("offline", () => this.ping());
  }

  report(ok, { auth = true } = {}) {
    const state = !ok ? "offline" : auth ? "online" : "auth";
    if (state !== this.state) {
      const before = this.state;
      this.state = state;
      this.onChange(state, before);
    }
  }

  async ping() {
    try {
      const r = await call("GET", this.url, { timeout: 5000 });
      this.report(r.status < 500, { auth: this.state !== "auth" }); // only a sheet or stage call proves a log-in
    } catch (_e) {
      this.report(false);
    }
  }

  start(every = () => (this.state === "online" ? 15000 : 3000)) {
    const loop = async () => {
      await this.ping();
      this.timer = setTimeout(loop, every());
    };
    loop();
  }
}

export class Outbox {
  // user: whose sheets (each judge has a store of their own); sheetUrl(round, entry); csrf: {token, url}.
  constructor({ user, sheetUrl, csrf, link, onChange, onSettled, onRefused }) {
    this.storeKey = `tablet.v1.${user}.outbox`;
    this.sheetUrl = sheetUrl;
    this.csrf = csrf;
    this.link = link;
    this.onChange = onChange;
    this.onSettled = onSettled;
    this.onRefused = onRefused;
    this.items = readStore(this.storeKey, {});
    this.inflight = new Set();
    this.timer = null;
    this.saved = true;
    for (const item of Object.values(this.items)) {
      item.due = 0;
      item.attempts = 0;
    }
    window.addEventListener("beforeunload", (event) => {
      if (this.size() > 0) {
        event.preventDefault();
        event.returnValue = ""; // the browser asks whether to leave with unsent sheets
      }
    });
  }

  static key(roundId, entryId) {
    return `${roundId}-${entryId}`;
  }

  get(key) {
    return this.items[key] || null;
  }

  size() {
    return Object.keys(this.items).length;
  }

  persist() {
    this.saved = writeStore(this.storeKey, this.items);
    return this.saved;
  }

  // Record the sheet as it now stands (scores: criterion id → tenths or null) and queue it; true when the
  // device holds it. A sheet keeps its client_token until the server confirms it.
  save({ round_id, entry_id, draw_no, scores, submit }) {
    const key = Outbox.key(round_id, entry_id);
    const old = this.items[key];
    this.items[key] = {
      key,
      round_id,
      entry_id,
      draw_no,
      scores: { ...scores },
      submit: Boolean(submit),
      token: old ? old.token : uuid(),
      rev: (old ? old.rev : 0) + 1,
      saved_at: Date.now(),
      held: null,
      attempts: 0,
      due: Date.now() + (submit ? 0 : DRAFT_DELAY),
    };
    const ok = this.persist();
    this.onChange(key);
    this.schedule();
    return ok;
  }

  // Send this sheet now (the "save draft" button) instead of after the typing pause.
  sendNow(key) {
    const item = this.items[key];
    if (item && !item.held) {
      item.due = 0;
      item.attempts = 0;
      this.schedule();
    }
  }

  // Try the refused-for-now items again (the stage moved, the queue changed, the network returned).
  retry() {
    for (const item of Object.values(this.items)) {
      if (item.held && item.held.code !== "validation_failed") {
        item.held = null;
      }
      item.attempts = 0;
      item.due = Math.min(item.due, Date.now());
    }
    this.schedule();
  }

  drop(key) {
    delete this.items[key];
    this.persist();
    this.onChange(key);
  }

  schedule() {
    clearTimeout(this.timer);
    const waiting = Object.values(this.items).filter((i) => !i.held && !this.inflight.has(i.key));
    if (waiting.length === 0) {
      return;
    }
    const next = Math.min(...waiting.map((i) => i.due));
    this.timer = setTimeout(() => this.flush(), Math.max(0, next - Date.now()));
  }

  flush() {
    const now = Date.now();
    for (const item of Object.values(this.items)) {
      if (!item.held && !this.inflight.has(item.key) && item.due <= now) {
        this.send(item);
      }
    }
    this.schedule();
  }

  backoff(item) {
    item.attempts += 1;
    const delay = Math.min(MAX_BACKOFF, 1000 * 2 ** Math.min(item.attempts, 5));
    item.due = Date.now() + delay * (0.8 + Math.random() * 0.4);
  }

  async refreshCsrf() {
    try {
      const r = await call("GET", this.csrf.url);
      if (r.status === 200 && r.data) {
        this.csrf.token = r.data.csrf_token;
        return true;
      }
    } catch (_e) {
      // offline: the next attempt asks again
    }
    return false;
  }

  async send(item) {
    const { key, rev } = item;
    this.inflight.add(key);
    this.onChange(key);
    const scores = {};
    for (const [id, tenths] of Object.entries(item.scores)) {
      scores[id] = tenths === null || tenths === undefined ? null : tenths / 10;
    }
    const body = { scores, submit: item.submit, client_token: item.token };
    let r = null;
    try {
      r = await call("PUT", this.sheetUrl(item.round_id, item.entry_id), {
        body,
        headers: { "X-CSRFToken": this.csrf.token },
      });
    } catch (_e) {
      r = null;
    }
    this.inflight.delete(key);
    const current = this.items[key];
    if (r === null) {
      this.link.report(false);
      if (current) this.backoff(current);
    } else {
      this.link.report(true, { auth: r.status !== 401 });
      this.answer(key, rev, current, r);
    }
    this.persist();
    this.onChange(key);
    this.schedule();
  }

  answer(key, rev, current, r) {
    const error = (r.data && r.data.error) || {};
    if (!current) {
      return;
    }
    if (r.status === 200) {
      if (current.rev === rev) {
        delete this.items[key];
        this.onSettled(key, r.data, current);
      } else {
        current.due = Math.min(current.due, Date.now() + DRAFT_DELAY); // newer changes: send those
      }
    } else if (r.status === 400 && error.code === "csrf_failed") {
      this.backoff(current);
      this.refreshCsrf().then((ok) => ok && this.sendNow(key));
    } else if (r.status === 409 && FINAL_CODES.has(error.code)) {
      delete this.items[key];
      this.onRefused(key, error, current);
    } else if (HELD_CODES.has(error.code) || [403, 404, 409, 422].includes(r.status)) {
      current.held = { status: r.status, code: error.code, message: error.message, details: error.details || [] };
      this.onRefused(key, error, current);
    } else {
      this.backoff(current); // 401 (log in again), 429, 5xx: the sheet stays and goes out later
    }
  }
}
