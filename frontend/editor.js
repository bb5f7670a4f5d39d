// The SPARQL editor of ipgraph's query page: CodeMirror 6 with the SPARQL mode of
// @codemirror/legacy-modes, completion of prefixes and vocabulary terms, and an error marker.
// esbuild bundles this file with its imports into src/ipgraph/web/static/editor.js (make bundle);
// the page's own query.js imports that bundle. Nothing here is fetched from elsewhere.

import { EditorState } from "@codemirror/state";
import {
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import {
  StreamLanguage,
  bracketMatching,
  defaultHighlightStyle,
  syntaxHighlighting,
} from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { autocompletion } from "@codemirror/autocomplete";
import { lintGutter, setDiagnostics } from "@codemirror/lint";

const KEYWORDS = [
  "SELECT", "DISTINCT", "WHERE", "OPTIONAL", "FILTER", "BIND", "VALUES", "UNION", "MINUS",
  "GRAPH", "ORDER BY", "GROUP BY", "HAVING", "LIMIT", "OFFSET", "CONSTRUCT", "DESCRIBE", "ASK",
  "PREFIX", "COUNT", "SAMPLE", "GROUP_CONCAT", "STR", "LANG", "langMatches", "CONTAINS",
  "STRSTARTS", "REGEX", "EXISTS", "NOT EXISTS", "AS",
];

/** Completions for the word before the cursor: `pre:` → terms, a bare word → prefixes, keywords.
 *
 * @param {{prefixes: Object<string, string>, terms: Array<{curie: string, label: string, kind: string}>}} vocabulary
 */
function completer(vocabulary) {
  const prefixOptions = Object.entries(vocabulary.prefixes || {}).map(([prefix, ns]) => ({
    label: prefix + ":",
    detail: ns,
    type: "namespace",
  }));
  const termOptions = (vocabulary.terms || []).map((term) => ({
    label: term.curie,
    detail: term.label,
    type: term.kind === "class" ? "class" : term.kind === "property" ? "property" : "constant",
  }));
  const keywordOptions = KEYWORDS.map((word) => ({ label: word, type: "keyword" }));
  return (context) => {
    const word = context.matchBefore(/[\w-]*:?[\w-]*/u);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    if (word.text.includes(":")) {
      const prefix = word.text.slice(0, word.text.indexOf(":") + 1);
      const options = termOptions.filter((o) => o.label.startsWith(prefix));
      return { from: word.from, options, validFor: /^[\w-]*:?[\w-]*$/u };
    }
    return {
      from: word.from,
      options: [...prefixOptions, ...keywordOptions],
      validFor: /^[\w-]*$/u,
    };
  };
}

/** Make the editor in `parent`.
 *
 * @param {object} options
 * @param {HTMLElement} options.parent where the editor goes
 * @param {string} options.doc the starting text
 * @param {object} options.vocabulary `{prefixes, terms}` for completion
 * @param {string} options.styleNonce the nonce the page's Content-Security-Policy allows
 *   `<style>` elements with (CodeMirror writes its theme into one)
 * @param {function(string): void} options.onChange called with the text after each edit
 * @param {function(): void} options.onRun called on Ctrl+Enter (Cmd+Enter)
 * @returns {{view: EditorView, getText: function(): string, setText: function(string): void,
 *   markError: function(number, number, string): void, clearError: function(): void}}
 */
export function createEditor({ parent, doc, vocabulary, styleNonce, onChange, onRun }) {
  const runKey = { key: "Mod-Enter", run: () => (onRun(), true), preventDefault: true };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        EditorView.cspNonce.of(styleNonce),
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        bracketMatching(),
        StreamLanguage.define(sparql),
        syntaxHighlighting(defaultHighlightStyle),
        autocompletion({ override: [completer(vocabulary)] }),
        lintGutter(),
        keymap.of([runKey, ...defaultKeymap, ...historyKeymap]),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ "aria-label": "SPARQL query", spellcheck: "false" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });

  function clearError() {
    view.dispatch(setDiagnostics(view.state, []));
  }

  /** Mark a syntax error at 1-based `line` and `column` (the endpoint's error carries both). */
  function markError(line, column, message) {
    const doc = view.state.doc;
    const at = doc.line(Math.min(Math.max(line, 1), doc.lines));
    const from = Math.min(at.from + Math.max(column - 1, 0), at.to);
    const to = from < at.to ? from + 1 : from;
    view.dispatch(
      setDiagnostics(view.state, [{ from, to, severity: "error", message, source: "SPARQL" }]),
    );
    view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
  }

  return {
    view,
    getText: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    markError,
    clearError,
  };
}
