// The query page's editor: CodeMirror, bundled at build time into /static/editor.js, when the
// bundle is there; else the plain text area, with the same few methods.

/** The text area as the editor: `onEdit` runs when the page puts a text in. */
export function plainEditor(textarea, onEdit) {
  return {
    getText: () => textarea.value,
    setText(text) {
      textarea.value = text;
      onEdit();
    },
    markError(line, column) {
      const lines = textarea.value.split("\n");
      let at = 0;
      for (let i = 0; i < Math.min(line - 1, lines.length); i++) at += lines[i].length + 1;
      textarea.setSelectionRange(at + column - 1, at + column);
    },
    clearError() {},
    focus: () => textarea.focus(),
  };
}

/** CodeMirror in `parent` in place of the text area (which stays the form's field, for tests
 * and without script), or `fallback` when the bundle does not load. */
export async function openEditor(fallback, { textarea, parent, label, vocabulary, onChange, onRun }) {
  try {
    const { createEditor } = await import("./editor.js");
    const made = createEditor({
      parent,
      doc: textarea.value,
      vocabulary,
      styleNonce: document.body.dataset.styleNonce || "",
      onChange: (text) => {
        textarea.value = text;
        onChange();
      },
      onRun,
    });
    const editor = { ...made, focus: () => made.view.focus() };
    label.htmlFor = "";
    label.addEventListener("click", () => editor.focus());
    textarea.hidden = true;
    parent.hidden = false;
    return editor;
  } catch (e) {
    console.warn("the editor bundle did not load (run `make bundle`); keeping the text area", e);
    return fallback;
  }
}
