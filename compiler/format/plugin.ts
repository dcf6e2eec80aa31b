/**
 * The prettier plugin for .gd: `prettier --plugin ./dist/compiler/format/plugin.js --write '**\/*.gd'`.
 * Platform-neutral (the playground formats with prettier/standalone and this module): parsing is the
 * compiler's own parser, comments come from the token stream's gaps, layout is print-gd.ts.
 */
import type { Parser, Plugin, SupportLanguage } from 'prettier';
import { parse } from '../parse.js';
import type { Program } from '../ast/ast.js';
import { extractComments, type GdComment } from './comments.js';
import { gdPrinter, type GdNode } from './print-gd.js';

/** A .gd program prettier can format: the AST plus the comments prettier attaches to its nodes. */
export type GdRoot = Program & { comments: GdComment[] };

/** Raised for a text with syntax errors: a formatter must not guess what a broken program means. */
export class GdSyntaxError extends Error {
  constructor(
    message: string,
    readonly loc: { start: { line: number; column: number } },
  ) {
    super(message);
    this.name = 'GdSyntaxError';
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Parses for formatting: the program, and its comments minus those inside text printed verbatim. */
export function parseForFormat(text: string, file = 'input.gd'): GdRoot {
  const { program, diagnostics } = parse(file, text);
  const err = diagnostics.find((d) => d.severity === 'error');
  if (err) {
    const at = err.span?.start ?? 0;
    const loc = lineColumn(text, at);
    throw new GdSyntaxError(`${err.code}: ${err.message} (${loc.line}:${loc.column})`, { start: loc });
  }
  const verbatim = unnamedItemSpans(program);
  const comments = extractComments(text).filter((c) => !verbatim.some((s) => c.start >= s.start && c.end <= s.end));
  return { ...program, comments };
}

/** Spans of unnamed log/record item expressions: printed as written, comments included. */
function unnamedItemSpans(p: Program): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const visit = (stmts: Program['body']) => {
    for (const s of stmts) {
      if (s.kind === 'Phase') visit(s.body);
      if (s.kind !== 'Solve') continue;
      for (const c of s.controls) {
        if (c.kind !== 'Log' && c.kind !== 'Record') continue;
        for (const it of c.items) if (!it.name) out.push(it.expr.span);
      }
    }
  };
  visit(p.body);
  return out;
}

const locStart = (n: GdNode): number => ('span' in n ? n.span.start : n.start);
const locEnd = (n: GdNode): number => ('span' in n ? n.span.end : n.end);

export const languages: SupportLanguage[] = [
  { name: 'gd', parsers: ['gd'], extensions: ['.gd'], vscodeLanguageIds: ['gd'] },
];

export const parsers: Record<string, Parser<GdNode>> = {
  gd: { parse: (text) => parseForFormat(text), astFormat: 'gd-ast', locStart, locEnd },
};

export const printers = { 'gd-ast': gdPrinter };

/** The canonical width: long solves break into one clause per line. */
export const defaultOptions = { printWidth: 100, tabWidth: 2, useTabs: false };

const plugin: Plugin<GdNode> = { languages, parsers, printers, defaultOptions };
export default plugin;
