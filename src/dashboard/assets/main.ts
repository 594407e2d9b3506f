/**
 * Client module `main.js`: the hash router (#/runs/:id, #/tasks/:id, ...), the API key
 * box and the 401 banner. Each navigation aborts the previous page's signal, which is
 * what stops its polling.
 */
export const mainJs = String.raw`
import { describeError, getApiKey, setApiKey } from "./api.js";
import { errorBox, fill, h } from "./dom.js";
import { agentsPage, runsPage } from "./page-lists.js";
import { runPage } from "./page-run.js";
import { taskPage, tasksPage } from "./page-tasks.js";
import { webhooksPage } from "./page-webhooks.js";

const ROUTES = [
  [/^#\/runs\/([^/]+)$/, runPage, "runs"],
  [/^#\/runs\/?$/, runsPage, "runs"],
  [/^#\/tasks\/([^/]+)$/, taskPage, "tasks"],
  [/^#\/tasks\/?$/, tasksPage, "tasks"],
  [/^#\/agents\/?$/, agentsPage, "agents"],
  [/^#\/webhooks\/?$/, webhooksPage, "webhooks"],
];

const app = document.getElementById("app");
const banner = document.getElementById("banner");
let current = null;

async function route() {
  if (current) current.abort();
  current = new AbortController();
  const signal = current.signal;
  const hash = location.hash || "#/runs";
  const match = ROUTES.map(([re, page, nav]) => [hash.match(re), page, nav]).find(([m]) => m);
  for (const a of document.querySelectorAll("nav a[data-nav]")) a.classList.toggle("active", Boolean(match && a.dataset.nav === match[2]));
  if (!match) {
    fill(app, h("h1", {}, "Not found"), h("p", {}, "No dashboard page at " + hash + "."));
    return;
  }
  const [m, page] = match;
  const id = m[1] === undefined ? undefined : decodeURIComponent(m[1]);
  try {
    await page(app, { id }, signal);
  } catch (error) {
    if (signal.aborted || (error && error.name === "AbortError")) return;
    fill(app, errorBox(describeError(error)));
  }
}

function openKeyBox() {
  document.getElementById("settings").open = true;
  document.getElementById("api-key").focus();
}

function setupKeyBox() {
  const form = document.getElementById("key-form");
  const input = document.getElementById("api-key");
  const state = document.getElementById("key-state");
  const show = () => (state.textContent = getApiKey() ? "key set" : "no key");
  input.value = getApiKey();
  show();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    setApiKey(input.value.trim());
    show();
    banner.hidden = true;
    document.getElementById("settings").open = false;
    route();
  });
  document.getElementById("key-clear").addEventListener("click", () => {
    input.value = "";
    setApiKey("");
    show();
    route();
  });
}

window.addEventListener("sepo:unauthorized", (event) => {
  fill(banner,
    h("strong", {}, "401 Unauthorized. "),
    "The API refused this dashboard's request" + (event.detail ? " (" + event.detail + ")" : "") + ". ",
    getApiKey() ? "The saved API key was not accepted." : "It needs an API key.",
    h("button", { type: "button", onclick: () => openKeyBox() }, "Enter API key"),
  );
  banner.hidden = false;
});

window.addEventListener("hashchange", route);
setupKeyBox();
route();
`;
