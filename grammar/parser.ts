/**
 * The .gd grammar as a chevrotain CstParser: pure rules (no embedded actions), error recovery on.
 * One instance is built at module load and reused; `parseTokens` resets it for each input.
 */
import { CstParser, EOF, type CstNode, type IRecognitionException, type IToken } from 'chevrotain';
import * as T from './tokens.js';
import { errorMessageProvider } from './error-messages.js';

export class GdParser extends CstParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, nodeLocationTracking: 'onlyOffset', errorMessageProvider });
    this.performSelfAnalysis();
  }

  // ── Program and statements ────────────────────────────────────────────────

  program = this.RULE('program', () => {
    this.MANY(() => this.SUBRULE(this.statement));
  });

  statement = this.RULE('statement', () => {
    this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.dimDecl) },
        { ALT: () => this.SUBRULE(this.constDecl) },
        { ALT: () => this.SUBRULE(this.dataDecl) },
        { ALT: () => this.SUBRULE(this.paramDecl) },
        { ALT: () => this.SUBRULE(this.particlesDecl) },
        { ALT: () => this.SUBRULE(this.letDecl) },
        { ALT: () => this.SUBRULE(this.defDecl) },
        { ALT: () => this.SUBRULE(this.solveStmt) },
        { ALT: () => this.SUBRULE(this.phaseStmt) },
        { ALT: () => this.SUBRULE(this.pruneStmt) },
        { ALT: () => this.SUBRULE(this.initStmt) },
        { ALT: () => this.SUBRULE(this.saveStmt) },
        { ALT: () => this.SUBRULE(this.importStmt) },
        { ALT: () => this.SUBRULE(this.useStmt) },
      ],
      ERR_MSG: 'a statement',
    });
  });

  dimDecl = this.RULE('dimDecl', () => {
    this.CONSUME(T.Dim);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  constDecl = this.RULE('constDecl', () => {
    this.CONSUME(T.Const);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  /** `data NAME [: SHAPE]` then `= INIT` and `batch K` in either order (the builder checks each appears right). */
  dataDecl = this.RULE('dataDecl', () => {
    this.CONSUME(T.Data);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.shape);
    });
    this.MANY(() =>
      this.OR([{ ALT: () => this.SUBRULE(this.initClause) }, { ALT: () => this.SUBRULE(this.batchClause) }]),
    );
  });

  /** `param NAME [: SHAPE]` then `in DOMAIN`, `= INIT`, `per B` in any order, each at most once. */
  paramDecl = this.RULE('paramDecl', () => {
    this.CONSUME(T.Param);
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.shape);
    });
    this.MANY(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.domainClause) },
        { ALT: () => this.SUBRULE(this.initClause) },
        { ALT: () => this.SUBRULE(this.perClause) },
      ]),
    );
  });

  particlesDecl = this.RULE('particlesDecl', () => {
    this.CONSUME(T.Particles);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.shape);
    this.MANY(() => this.SUBRULE(this.initClause));
  });

  initClause = this.RULE('initClause', () => {
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  batchClause = this.RULE('batchClause', () => {
    this.CONSUME(T.Batch);
    this.SUBRULE(this.expression);
  });

  domainClause = this.RULE('domainClause', () => {
    this.CONSUME(T.In);
    this.SUBRULE(this.domain);
  });

  perClause = this.RULE('perClause', () => {
    this.CONSUME(T.Per);
    this.CONSUME(T.Identifier);
  });

  /** `[n, d]`, `[784]`, `[]` (a scalar). */
  shape = this.RULE('shape', () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression);
      });
    });
    this.CONSUME(T.RBracket);
  });

  domain = this.RULE('domain', () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.argList));
  });

  letDecl = this.RULE('letDecl', () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  defDecl = this.RULE('defDecl', () => {
    this.CONSUME(T.Def);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.SUBRULE(this.paramList);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  /** `(a, b, c)` — the parameters of a def or a lambda. */
  paramList = this.RULE('paramList', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.CONSUME(T.Identifier);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.CONSUME2(T.Identifier);
      });
    });
    this.CONSUME(T.RParen);
  });

  // ── Solving ───────────────────────────────────────────────────────────────

  solveStmt = this.RULE('solveStmt', () => {
    this.OR([{ ALT: () => this.CONSUME(T.Minimize) }, { ALT: () => this.CONSUME(T.Maximize) }]);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
    this.CONSUME(T.Over);
    this.SUBRULE(this.target);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.target);
    });
    this.CONSUME(T.By);
    this.SUBRULE(this.method);
    this.MANY2(() => this.SUBRULE(this.control));
  });

  target = this.RULE('target', () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.In);
      this.SUBRULE(this.geometry);
    });
  });

  /** `mirror(entropy)`, `l2 normalized`: flags are plain names only, so `by` after a geometry is never a flag. */
  geometry = this.RULE('geometry', () => {
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION(() => this.SUBRULE(this.argList));
    this.MANY({
      GATE: () => this.LA(1).tokenType === T.Identifier,
      DEF: () => this.CONSUME2(T.Identifier, { LABEL: 'flag' }),
    });
  });

  method = this.RULE('method', () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.argList));
  });

  control = this.RULE('control', () => {
    this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.forClause) },
        { ALT: () => this.SUBRULE(this.untilClause) },
        { ALT: () => this.SUBRULE(this.logClause) },
        { ALT: () => this.SUBRULE(this.recordClause) },
        { ALT: () => this.SUBRULE(this.checkpointClause) },
      ],
      ERR_MSG: 'a run-control clause',
    });
  });

  forClause = this.RULE('forClause', () => {
    this.CONSUME(T.For);
    this.SUBRULE(this.expression);
    this.CONSUME(T.Steps);
  });

  untilClause = this.RULE('untilClause', () => {
    this.CONSUME(T.Until);
    this.SUBRULE(this.expression, { LABEL: 'cond' });
    this.OPTION(() => {
      this.CONSUME(T.Max);
      this.SUBRULE2(this.expression, { LABEL: 'max' });
      this.CONSUME(T.Steps);
    });
  });

  logClause = this.RULE('logClause', () => {
    this.CONSUME(T.Log);
    this.CONSUME(T.Every);
    this.SUBRULE(this.expression);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.outputItem);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.outputItem);
    });
  });

  recordClause = this.RULE('recordClause', () => {
    this.CONSUME(T.Record);
    this.SUBRULE(this.outputItem);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.outputItem);
    });
    this.OPTION(() => {
      this.CONSUME(T.Every);
      this.SUBRULE(this.expression);
    });
    this.CONSUME(T.To);
    this.CONSUME(T.StringLit);
  });

  checkpointClause = this.RULE('checkpointClause', () => {
    this.CONSUME(T.Checkpoint);
    this.CONSUME(T.Every);
    this.SUBRULE(this.expression);
  });

  /** `loss` or `gn = norm(grad(loss, w))`: two tokens of lookahead tell them apart (`=` never follows a name in an expression). */
  outputItem = this.RULE('outputItem', () => {
    this.OPTION(() => {
      this.CONSUME(T.Identifier);
      this.CONSUME(T.Equals);
    });
    this.SUBRULE(this.expression);
  });

  // ── Run-level statements ──────────────────────────────────────────────────

  phaseStmt = this.RULE('phaseStmt', () => {
    this.CONSUME(T.Phase);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.statement));
    this.CONSUME(T.RBrace);
  });

  pruneStmt = this.RULE('pruneStmt', () => {
    this.CONSUME(T.Prune);
    this.CONSUME(T.Identifier, { LABEL: 'target' });
    this.CONSUME(T.Keep);
    this.SUBRULE(this.expression);
    this.OPTION(() => this.CONSUME(T.Percent));
    this.CONSUME(T.By);
    this.CONSUME2(T.Identifier, { LABEL: 'criterion' });
  });

  initStmt = this.RULE('initStmt', () => {
    this.CONSUME(T.Init);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.From);
    this.SUBRULE(this.expression);
  });

  saveStmt = this.RULE('saveStmt', () => {
    this.CONSUME(T.Save);
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.Identifier);
    });
    this.CONSUME(T.To);
    this.CONSUME(T.StringLit);
  });

  importStmt = this.RULE('importStmt', () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.StringLit);
  });

  useStmt = this.RULE('useStmt', () => {
    this.CONSUME(T.Use);
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.Identifier);
    });
  });

  // ── Expressions, loosest binding first ────────────────────────────────────

  expression = this.RULE('expression', () => {
    this.SUBRULE(this.comparison);
  });

  /** Comparisons do not chain: `a < b < c` is a syntax error rather than a surprise. */
  comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.additive);
    this.OPTION(() => {
      this.CONSUME(T.CompareOp);
      this.SUBRULE2(this.additive);
    });
  });

  additive = this.RULE('additive', () => {
    this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      this.CONSUME(T.AddOp);
      this.SUBRULE2(this.multiplicative);
    });
  });

  multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.CONSUME(T.MulOp);
      this.SUBRULE2(this.unary);
    });
  });

  /** Prefix signs bind looser than `^`, so `-x^2` is `-(x^2)`. */
  unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.AddOp);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.power) },
    ]);
  });

  /** Right-associative: the exponent is a unary, so `a^b^c` is `a^(b^c)` and `2^-1` is allowed. */
  power = this.RULE('power', () => {
    this.SUBRULE(this.postfix);
    this.OPTION(() => {
      this.CONSUME(T.Caret);
      this.SUBRULE(this.unary);
    });
  });

  postfix = this.RULE('postfix', () => {
    this.SUBRULE(this.primary);
    this.MANY(() =>
      this.OR([{ ALT: () => this.SUBRULE(this.indexSuffix) }, { ALT: () => this.SUBRULE(this.attrSuffix) }]),
    );
  });

  indexSuffix = this.RULE('indexSuffix', () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.indexItem);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.indexItem);
    });
    this.CONSUME(T.RBracket);
  });

  /** `i`, `:`, `a:`, `:b`, `a:b`, `a:b:c`, `::2` — labels say which part each expression is. */
  indexItem = this.RULE('indexItem', () => {
    this.OPTION(() => this.SUBRULE(this.expression, { LABEL: 'start' }));
    this.OPTION2(() => {
      this.CONSUME(T.Colon);
      this.OPTION3(() => this.SUBRULE2(this.expression, { LABEL: 'stop' }));
      this.OPTION4(() => {
        this.CONSUME2(T.Colon);
        this.OPTION5(() => this.SUBRULE3(this.expression, { LABEL: 'step' }));
      });
    });
  });

  attrSuffix = this.RULE('attrSuffix', () => {
    this.CONSUME(T.Dot);
    this.CONSUME(T.Identifier);
  });

  primary = this.RULE('primary', () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(T.NumberLit) },
        { ALT: () => this.CONSUME(T.StringLit) },
        // A lambda and a parenthesised expression share their first tokens; the gate looks past the `)`.
        { GATE: () => this.atLambda(), ALT: () => this.SUBRULE(this.lambda), IGNORE_AMBIGUITIES: true },
        { ALT: () => this.SUBRULE(this.nameOrCall) },
        { ALT: () => this.SUBRULE(this.tensorLit) },
        { ALT: () => this.SUBRULE(this.parenExpr), IGNORE_AMBIGUITIES: true },
      ],
      ERR_MSG: 'an expression',
    });
  });

  /** `(x, y) => body` or `x => body`. */
  lambda = this.RULE('lambda', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.paramList) },
      { ALT: () => this.CONSUME(T.Identifier) },
    ]);
    this.CONSUME(T.Arrow);
    this.SUBRULE(this.expression);
  });

  nameOrCall = this.RULE('nameOrCall', () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.argList));
  });

  tensorLit = this.RULE('tensorLit', () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression);
      });
    });
    this.CONSUME(T.RBracket);
  });

  parenExpr = this.RULE('parenExpr', () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  /** `( args )` of a call, a method, a geometry or a domain. */
  argList = this.RULE('argList', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.arg);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.arg);
      });
    });
    this.CONSUME(T.RParen);
  });

  /** `value` or `name: value`. */
  arg = this.RULE('arg', () => {
    this.OPTION(() => {
      this.CONSUME(T.Identifier);
      this.CONSUME(T.Colon);
    });
    this.SUBRULE(this.expression);
  });

  /**
   * True when the next tokens open a lambda: `name =>`, or a `(` whose matching `)` is followed by `=>`.
   * Scanning to the matching parenthesis is linear in the group and runs only where an expression starts with `(`.
   */
  private atLambda(): boolean {
    const first = this.LA(1).tokenType;
    if (first === T.Identifier || T.softKeywords.includes(first as never)) return this.LA(2).tokenType === T.Arrow;
    if (first !== T.LParen) return false;
    let depth = 0;
    for (let i = 1; ; i++) {
      const tt = this.LA(i).tokenType;
      if (tt === T.LParen) depth++;
      else if (tt === T.RParen) {
        depth--;
        if (depth === 0) return this.LA(i + 1).tokenType === T.Arrow;
      } else if (tt === EOF) return false;
    }
  }
}

/** The one parser instance (chevrotain parsers are reusable; self-analysis runs once). */
export const parser = new GdParser();

export interface ParseResult {
  readonly cst: CstNode;
  readonly errors: IRecognitionException[];
}

/** Parses a token vector into a CST. Never throws on bad input: errors come back with the (partial) tree. */
export function parseTokens(tokens: IToken[]): ParseResult {
  parser.input = tokens;
  const cst = parser.program();
  return { cst, errors: [...parser.errors] };
}
