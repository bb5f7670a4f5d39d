// How the query page talks to the SPARQL endpoint: the query POSTed as itself, and the
// endpoint's refusals put into words.

/** POST `query` to the endpoint as the body itself (application/sparql-query): what the
 * server counts against its size limit is then the query's own UTF-8 bytes. */
export function postQuery(query, accept, extra) {
  return fetch("/sparql" + (extra ? "?" + new URLSearchParams(extra).toString() : ""), {
    method: "POST",
    headers: { "Content-Type": "application/sparql-query; charset=utf-8", Accept: accept },
    body: query,
  });
}

const utf8 = new TextEncoder();

/** The message of a refused query: the server's, or, for one too large, in the query's size. */
export function refusal(problem, status, query) {
  if (status !== 413) return problem.error + ": " + problem.message;
  const bytes = utf8.encode(query).length;
  const limit = /limit (?:is|of) ([\d,]+)/.exec(problem.message || "");
  return (
    "The query is too large: " + bytes.toLocaleString("en") + " bytes (" +
    query.length.toLocaleString("en") + " characters)" +
    (limit ? "; this server accepts queries of up to " + Number(limit[1].replace(/,/g, "")).toLocaleString("en") + " bytes" : "") +
    ". Shorten it (a VALUES block of many IRIs can often become a pattern that finds them)."
  );
}

/** The endpoint's JSON problem of a failed response, or its status when it has none. */
export async function problemOf(response) {
  try {
    return await response.json();
  } catch (e) {
    return { error: response.status + " " + response.statusText, message: "" };
  }
}
