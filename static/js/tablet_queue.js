// The tablet's queue: the judge's rounds, then the contestants of one by draw number with the state of
// each sheet (icon and word); in a live round only the contestant on stage can be opened.
import { drawLabel, fmt, h, icon, statusIcon, t } from "./tablet_ui.js";

let A = null; // the page (tablet.js): state, outbox and navigation

export function useApp(app) {
  A = app;
}

function tile(tr, item) {
  const status = A.statusOf(item);
  const live = tr.round.mode === "live";
  const open = !live || item.on_stage || A.isDone(item);
  const waiting = A.outbox.get(A.keyOf(item));
  let total = null;
  if (waiting) total = Object.values(waiting.scores).reduce((sum, v) => sum + (v || 0), 0);
  else if (item.total !== null && item.total !== undefined) total = Math.round(item.total * 10);
  return h(
    "button",
    {
      type: "button",
      class: `t-tile is-${status}${item.on_stage ? " is-stage" : ""}`,
      disabled: !open,
      "data-testid": `tile-${item.draw_no}`,
      onclick: () => A.openSheet(item),
    },
    h("span", { class: "t-tile-no" }, drawLabel(item.draw_no)),
    item.name ? h("span", { class: "t-tile-name" }, item.name) : null,
    h(
      "span",
      { class: "t-tile-row" },
      h("span", { class: "t-status" }, statusIcon(status), " ", t(status)),
      total !== null && status !== "none" ? h("span", { class: "t-tile-total" }, fmt(total)) : null,
    ),
    item.on_stage ? h("span", { class: "t-stage-tag" }, icon("mic-fill"), " ", t("on_stage")) : null,
    status === "reopened" ? h("span", { class: "t-tile-reason" }, t("reopened_reason", { reason: item.reopened_reason })) : null,
  );
}

export function renderQueue() {
  const { S } = A;
  const root = document.getElementById("queue-view");
  root.replaceChildren();
  if (!S.queue) {
    root.append(h("p", { class: "t-empty" }, t("loading")));
    return;
  }
  if (!S.tracks.length) {
    root.append(h("p", { class: "t-empty" }, icon("cup-hot"), " ", t("no_items")));
    return;
  }
  const tr = A.currentTrack();
  const several = S.queue.competitions.length > 1;
  if (S.tracks.length > 1) {
    root.append(
      h(
        "nav",
        { class: "t-tracks", "aria-label": t("queue") },
        S.tracks.map((one) =>
          h(
            "button",
            {
              type: "button",
              class: `t-track${one.id === S.trackId ? " is-current" : ""}`,
              "aria-pressed": String(one.id === S.trackId),
              onclick: () => A.selectTrack(one.id),
            },
            h("span", { class: "t-track-name" }, `${one.round.name} · ${one.group.name}`),
            several ? h("span", { class: "t-track-sub" }, one.competition.name) : null,
            h(
              "span",
              { class: "t-track-sub" },
              icon(one.round.mode === "live" ? "broadcast" : "list-ol"),
              " ",
              t(one.round.mode === "live" ? "mode_live" : "mode_queue"),
              ` · ${one.items.filter(A.isDone).length}/${one.items.length}`,
            ),
          ),
        ),
      ),
    );
  }
  const done = tr.items.filter(A.isDone).length;
  root.append(
    h(
      "div",
      { class: "t-queue-head" },
      h("h1", { class: "t-queue-title" }, `${tr.competition.name} · ${tr.group.name} · ${tr.round.name}`),
      h("span", { class: "t-progress" }, t("scored_n", { done, all: tr.items.length })),
    ),
  );
  if (tr.competition.anonymous) root.append(h("p", { class: "t-note" }, icon("incognito"), " ", t("anonymous")));
  if (tr.round.mode === "live") {
    const stage = tr.items.find((i) => i.on_stage);
    root.append(
      stage && !A.isDone(stage)
        ? h(
            "button",
            { type: "button", class: "t-live is-open", onclick: () => A.openSheet(stage) },
            icon("mic-fill"),
            " ",
            `${t("on_stage")}: ${drawLabel(stage.draw_no)}`,
          )
        : h(
            "div",
            { class: "t-live", role: "status", "data-testid": "wait-next" },
            h("strong", {}, icon("hourglass-split"), " ", t("wait_next")),
            h("span", {}, t("wait_next_hint")),
          ),
    );
  } else if (done === tr.items.length) {
    root.append(h("p", { class: "t-note is-done" }, icon("check2-all"), " ", t("all_done")));
  }
  root.append(h("div", { class: "t-grid" }, tr.items.map((item) => tile(tr, item))));
}
