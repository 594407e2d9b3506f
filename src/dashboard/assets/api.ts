/**
 * Client module `api.js`: the one fetch wrapper every page uses, so the API key, the
 * error wording and the 401 banner live in one place. The key is the bearer token every
 * /v1 route needs (a project key; the dashboard shows that project's data).
 *
 * Client sources are String.raw literals: they must contain no backtick and no "${".
 */
export const apiJs = String.raw`
const KEY_ITEM = "sepo.apiKey";

export function getApiKey() {
  try { return localStorage.getItem(KEY_ITEM) || ""; } catch { return ""; }
}

export function setApiKey(key) {
  if (key) localStorage.setItem(KEY_ITEM, key);
  else localStorage.removeItem(KEY_ITEM);
  taskCache.clear();
}

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** GET (or method/body) a path of the JSON API; throws ApiError with the server's message. */
export async function api(path, options = {}) {
  const headers = { accept: "application/json" };
  const key = getApiKey();
  if (key) headers.authorization = "Bearer " + key;
  let body;
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  let res;
  try {
    res = await fetch(path, { method: options.method || "GET", headers, body, signal: options.signal });
  } catch (error) {
    if (error && error.name === "AbortError") throw error;
    throw new ApiError(0, "Cannot reach the API: " + (error && error.message ? error.message : String(error)));
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  if (!res.ok) {
    const message = (data && data.error && data.error.message) || res.status + " " + res.statusText;
    // The banner is global: any page's request can be the first to learn the key is wrong.
    if (res.status === 401) window.dispatchEvent(new CustomEvent("sepo:unauthorized", { detail: message }));
    throw new ApiError(res.status, message, data);
  }
  return data;
}

/** Every page of a cursor-paginated list, up to maxPages (lists are newest first). */
export async function apiAll(path, options = {}) {
  const items = [];
  let cursor = null;
  const maxPages = options.maxPages || 10;
  for (let page = 0; page < maxPages; page++) {
    const sep = path.includes("?") ? "&" : "?";
    const data = await api(path + sep + "limit=100" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""), options);
    items.push(...data.items);
    cursor = data.nextCursor;
    if (!cursor) break;
  }
  return items;
}

/** What to tell a person about a failed request. */
export function describeError(error) {
  if (!(error instanceof ApiError)) return "Unexpected error: " + (error && error.message ? error.message : String(error));
  if (error.status === 401) return "The API answered 401 Unauthorized: paste a valid API key under \"API key\" (top right).";
  if (error.status === 403) return "The API answered 403 Forbidden: this API key may not read this resource.";
  if (error.status === 0) return error.message;
  return "The API answered " + error.status + ": " + error.message;
}

const taskCache = new Map();

/** A task by id, fetched once per page load (runs and agents only carry task ids). */
export function cachedTask(id) {
  if (!taskCache.has(id)) {
    const promise = api("/v1/tasks/" + encodeURIComponent(id)).catch((error) => {
      taskCache.delete(id);
      throw error;
    });
    taskCache.set(id, promise);
  }
  return taskCache.get(id);
}

/** Task models named simlm* are SimLM, the simulated model: scores then say nothing about a real LLM. */
export function isSimulatedModel(model) {
  return typeof model === "string" && model.toLowerCase().startsWith("simlm");
}
`;
