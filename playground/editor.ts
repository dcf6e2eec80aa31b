/** The .gd editor: CodeMirror with the grammar's highlighting and the compiler's diagnostics underlined at their spans as you type. */
import { basicSetup, EditorView } from 'codemirror';
import { EditorState } from '@codemirror/state';
import { linter, lintGutter, forceLinting, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { gdLanguage } from './gd-language.js';

/** Debounce between the last keystroke and a check (the front end takes a few ms on the examples). */
export const CHECK_DELAY_MS = 250;

/** The text CodeMirror shows for a diagnostic: code, message, then the help line. */
export function diagnosticText(d: Diagnostic): string {
  return `${d.code}: ${d.message}${d.help ? `\nhelp: ${d.help}` : ''}`;
}

/**
 * Diagnostics of `file` as CodeMirror ranges (clamped to the document). Those in other files (a module
 * it imports) are pinned to the start, their file named, so they are not lost.
 */
export function toCodeMirror(diags: readonly Diagnostic[], file: string, docLength: number): CmDiagnostic[] {
  const clamp = (n: number) => Math.max(0, Math.min(n, docLength));
  return diags.map((d) => {
    const here = d.span !== undefined && d.span.file === file;
    const from = here ? clamp(d.span!.start) : 0;
    const to = here ? clamp(Math.max(d.span!.end, d.span!.start)) : 0;
    const where = !here && d.span ? ` (in ${d.span.file})` : '';
    return { from, to, severity: d.severity === 'note' ? 'info' : d.severity, source: d.code, message: `${diagnosticText(d)}${where}` };
  });
}

export interface GdEditor {
  readonly view: EditorView;
  text(): string;
  setText(text: string): void;
  /** Re-runs the check now (after the program's file name or data changed). */
  recheck(): void;
}

/**
 * Mounts the editor. `check` runs on each edit, debounced, and returns the diagnostics of the current
 * text; `onChange` sees every edit (for the URL).
 */
export function mountEditor(parent: HTMLElement, initial: string, check: (text: string) => readonly Diagnostic[], file: () => string, onChange: (text: string) => void): GdEditor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: initial,
      extensions: [
        basicSetup,
        gdLanguage,
        lintGutter(),
        linter((v) => toCodeMirror(check(v.state.doc.toString()), file(), v.state.doc.length), { delay: CHECK_DELAY_MS }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange(u.state.doc.toString());
        }),
        EditorView.lineWrapping,
        EditorView.theme({ '&': { height: '100%' }, '.cm-scroller': { overflow: 'auto' } }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    recheck: () => forceLinting(view),
  };
}
