// The tablet's words and small DOM helpers: the page's JSON block (no inline script), t(), h(), icons.
export const config = JSON.parse(document.getElementById("tablet-config").textContent);
const W = config.words;
const ICONS = {
  none: "circle",
  draft: "pencil-fill",
  submitted: "check-circle-fill",
  waiting: "cloud-arrow-up-fill",
  reopened: "arrow-counterclockwise",
  held: "exclamation-triangle-fill",
};

// A word of the catalogue with its %(name)s placeholders filled in.
export function t(key, vars = {}) {
  return (W[key] || key).replace(/%\((\w+)\)[sd]/g, (_m, name) => String(vars[name] ?? ""));
}

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
export const statusIcon = (status) => icon(ICONS[status] || "circle");
export const drawLabel = (n) => t("draw_no", { n: n === null || n === undefined ? "—" : String(n).padStart(2, "0") });
export const fmt = (tenths) => (tenths / 10).toFixed(1); // whole tenths → "27.5"
