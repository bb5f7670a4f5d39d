// Where the query page keeps a query: in its URL (`/?query=...`, with `example=` and `param=`
// for a named query) when that stays short enough, and in the recent queries of this browser
// (localStorage), which hold only queries that ran.

/** The longest page URL (path and query string, in characters) a query goes into: 8,000 is what
 * servers and proxies commonly accept in a request line; a longer query is run by POST and
 * stays out of the address bar (the page says so). */
export const MAX_URL = 8000;

/** The page's URL running `state` (its example and parameters, then the query). */
export function urlFor(state) {
  const search = new URLSearchParams();
  if (state.example) search.append("example", state.example);
  for (const [name, value] of Object.entries(state.params || {})) search.append("param", name + "=" + value);
  search.append("query", state.query);
  return "/?" + search.toString();
}

/** The state a page URL asks for (`query` null when it has none). */
export function stateFromUrl(href) {
  const search = new URL(href, location.href).searchParams;
  const params = {};
  for (const item of search.getAll("param")) {
    const at = item.indexOf("=");
    if (at > 0) params[item.slice(0, at)] = item.slice(at + 1);
  }
  return { query: search.get("query"), example: search.get("example") || "", params };
}

/** Whether `state`'s URL is short enough for the address bar and a link. */
export function fitsUrl(state) {
  return urlFor(state).length <= MAX_URL;
}

/** The page's URL for `state`: the query in it, or the bare page for a query too long for it
 * (the state object then carries the query, for back and forward). */
export function addressOf(state) {
  return fitsUrl(state) ? urlFor(state) : "/";
}

// -- the queries run before, kept in this browser

export const HISTORY_KEY = "ipgraph.history";
const HISTORY_SIZE = 20;

/** The queries kept, newest first (none when the storage is unreadable). */
export function loadHistory() {
  try {
    const items = JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]");
    return Array.isArray(items) ? items.filter((i) => i && typeof i.query === "string") : [];
  } catch (e) {
    return [];
  }
}

/** Keep a query that ran (only those) at the top of the history. */
export function remember(state) {
  const url = urlFor(state);
  const items = loadHistory().filter((item) => urlFor(item) !== url);
  items.unshift({ query: state.query, example: state.example, params: state.params, at: new Date().toISOString() });
  // A full storage (long queries) drops the oldest entries rather than the new one.
  for (let size = Math.min(items.length, HISTORY_SIZE); size > 0; size--) {
    try {
      localStorage.setItem(HISTORY_KEY, JSON.stringify(items.slice(0, size)));
      break;
    } catch (e) {
      /* storage full or refused: the history is a convenience */
    }
  }
}
