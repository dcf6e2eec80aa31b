// The gd language server: on every open/change of a .gd document, runs the compiler's front end
// (parse + check, compiler/pipeline.ts `front`) on the editor's text and publishes its diagnostics at
// their spans; Format Document runs the formatter (gd fmt). Imported files and data files are read
// from disk; the document itself from the editor.
// Runs from this repository's build (`npm run build` at the root writes dist/).
import { fileURLToPath } from 'node:url';
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, DiagnosticSeverity } from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { front } from '../../../dist/compiler/pipeline.js';
import { nodeFiles as nodeHost } from '../../../dist/runtime/node-files.js';
import { formatGd } from '../../../dist/compiler/format/format.js';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, note: DiagnosticSeverity.Information };

/**
 * The LSP diagnostics of one document. A diagnostic located in another file (an imported module) is
 * shown at the start of this document, its message prefixed by that file.
 */
export function lspDiagnostics(doc, file, diagnostics) {
  const at = (span) => ({ start: doc.positionAt(span.start), end: doc.positionAt(Math.max(span.end, span.start)) });
  const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return diagnostics.map((d) => {
    const here = d.span && d.span.file === file;
    const message = `${here || !d.span ? '' : `${d.span.file}: `}${d.message}${d.help ? `\nhelp: ${d.help}` : ''}`;
    const related = d.notes
      .filter((n) => n.span && n.span.file === file)
      .map((n) => ({ location: { uri: doc.uri, range: at(n.span) }, message: n.message }));
    return {
      range: here ? at(d.span) : top,
      severity: SEVERITY[d.severity] ?? DiagnosticSeverity.Information,
      code: d.code,
      source: 'gd',
      message,
      ...(related.length ? { relatedInformation: related } : {}),
    };
  });
}

function validate(connection, doc) {
  const file = doc.uri.startsWith('file:') ? fileURLToPath(doc.uri) : doc.uri;
  let diagnostics;
  try {
    diagnostics = lspDiagnostics(doc, file, front(file, doc.getText(), nodeHost).diagnostics);
  } catch (e) {
    // A compiler bug must not take the server down: report it on the document instead.
    diagnostics = [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Error, source: 'gd', message: `internal error: ${e.message}` }];
  }
  connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
}

if (process.argv.includes('--stdio') || process.argv.includes('--node-ipc') || process.argv.some((a) => a.startsWith('--socket'))) {
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, documentFormattingProvider: true } }));
  // Format Document = gd fmt: one edit replacing the whole text; none when it has syntax errors.
  connection.onDocumentFormatting(async ({ textDocument }) => {
    const doc = documents.get(textDocument.uri);
    if (!doc) return [];
    const text = doc.getText();
    const out = await formatGd(text, textDocument.uri).catch(() => text);
    return out === text ? [] : [{ range: { start: doc.positionAt(0), end: doc.positionAt(text.length) }, newText: out }];
  });
  documents.onDidChangeContent((e) => validate(connection, e.document));
  documents.onDidClose((e) => connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }));
  documents.listen(connection);
  connection.listen();
}
