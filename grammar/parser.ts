/**
 * The .gd grammar as a chevrotain CstParser: pure rules (no embedded actions), error recovery on.
 * One instance is built at module load and reused; `parseTokens` resets it for each input.
 */
import { CstParser, EOF, type AtLeastOneSepMethodOpts, type CstNode, type IOrAlt, type OrMethodOpts, type IRecognitionException, type IToken } from 'chevrotain';
import * as T from './tokens.js';
import { errorMessageProvider } from './error-messages.js';

export class GdParser extends CstParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider });
    this.performSelfAnalysis();
  }

  // ── Program and statements ────────────────────────────────────────────────

  /** Statements are alternatives of this repetition directly (no `statement` node: one CST node fewer per statement). */
  program = this.RULE('program', () => {
    this.MANY(() => this.OR((this.topStatements ??= this.statementAlternatives())));
  });
  private topStatements?: OrMethodOpts<unknown>;

  /** The statement alternatives, for `program` and for `phase` bodies (each site caches its own copy). */
  private statementAlternatives(): OrMethodOpts<unknown> {
    return {
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
    };
  }

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
    // Clauses are inline (not nodes); labels keep the initializer and the batch size apart.
    this.MANY(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Equals);
            this.SUBRULE(this.expression, { LABEL: 'init' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Batch);
            this.SUBRULE2(this.expression, { LABEL: 'batch' });
          },
        },
      ]),
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
    // Clauses are inline (not nodes); labels keep the domain name and the `per` name apart. The only
    // argument lists directly under a param are its domain's.
    this.MANY(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.In);
            this.CONSUME2(T.Identifier, { LABEL: 'domain' });
            this.OPTION2(() => this.SUBRULE(this.argList));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Equals);
            this.SUBRULE(this.expression, { LABEL: 'init' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Per);
            this.CONSUME3(T.Identifier, { LABEL: 'per' });
          },
        },
      ]),
    );
  });

  particlesDecl = this.RULE('particlesDecl', () => {
    this.CONSUME(T.Particles);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.shape);
    this.MANY(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expression, { LABEL: 'init' });
    });
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

  /** `(a, b, c)` — the parameters of a def. */
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
    // `= EXPR` may be left out when NAME is a let declared earlier: `minimize loss over w by ...`.
    this.OPTION3(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expression);
    });
    this.CONSUME(T.Over);
    this.SUBRULE(this.target);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.target);
    });
    this.CONSUME(T.By);
    // The method, inline: `gd(lr: 0.1)` or `gd`.
    this.CONSUME2(T.Identifier, { LABEL: 'method' });
    this.OPTION(() => this.SUBRULE(this.argList));
    // Controls are alternatives of this repetition directly (no `control` node).
    this.MANY2(() =>
      this.OR2(
        (this.controlAlts ??= {
          DEF: [
            { ALT: () => this.SUBRULE(this.forClause) },
            { ALT: () => this.SUBRULE(this.untilClause) },
            { ALT: () => this.SUBRULE(this.logClause) },
            { ALT: () => this.SUBRULE(this.recordClause) },
            { ALT: () => this.SUBRULE(this.checkpointClause) },
          ],
          ERR_MSG: 'a run-control clause',
        }),
      ),
    );
  });
  private controlAlts?: OrMethodOpts<unknown>;

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

  private phaseStatements?: OrMethodOpts<unknown>;

  phaseStmt = this.RULE('phaseStmt', () => {
    this.CONSUME(T.Phase);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.OR((this.phaseStatements ??= this.statementAlternatives())));
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
      // `prune` is a hard keyword but also a std module's name (`use std.prune`).
      this.OR([{ ALT: () => this.CONSUME2(T.Identifier) }, { ALT: () => this.CONSUME(T.Prune) }]);
    });
  });

  // ── Expressions ───────────────────────────────────────────────────────────

  /**
   * `operand (op operand)*` with every binary operator at one level, where an operand is prefix
   * signs, a primary and suffixes: `-x`, `f(a)[0].T`, `(a + b)`, `[1, 2]`, `x => e`.
   *
   * Two choices keep the CST small, because allocating it (and collecting it) is most of the cost
   * of a chevrotain parse: precedence and associativity (comparison < + - < * / @ < unary sign <
   * `^`, `^` right-associative) are applied by the AST builder instead of one rule per level, and
   * operands are not nodes of their own: their tokens and sub-nodes sit in this rule's children,
   * and the builder puts them back in source order by offset.
   */
  expression = this.RULE('expression', () => {
    this.AT_LEAST_ONE_SEP((this.operandDef ??= { SEP: T.BinaryOp, DEF: () => this.operand(), ERR_MSG: 'an expression' }));
  });
  private operandDef?: AtLeastOneSepMethodOpts<unknown>;

  /** The body of one operand, inlined into `expression` (not a rule). */
  private operand(): void {
    this.MANY(() => this.CONSUME(T.AddOp));
    // Alternatives are built once and reused (chevrotain's recommended OR caching): this runs per leaf.
    this.OR(
      (this.primaryAlts ??= {
        DEF: [
          { ALT: () => this.CONSUME(T.NumberLit) },
          { ALT: () => this.CONSUME(T.StringLit) },
          {
            ALT: () => {
              this.CONSUME(T.Identifier);
              this.OPTION(() =>
                this.OR2(
                  (this.nameSuffixAlts ??= [
                    { ALT: () => this.SUBRULE(this.argList) },
                    {
                      ALT: () => {
                        this.CONSUME(T.Arrow);
                        this.SUBRULE(this.expression, { LABEL: 'body' });
                      },
                    },
                  ]),
                ),
              );
            },
          },
          { ALT: () => this.SUBRULE(this.tensorLit) },
          { ALT: () => this.SUBRULE(this.group) },
        ],
        ERR_MSG: 'an expression',
      }),
    );
    this.MANY2(() =>
      this.OR3((this.suffixAlts ??= [{ ALT: () => this.SUBRULE(this.indexSuffix) }, { ALT: () => this.SUBRULE(this.attrSuffix) }])),
    );
  }
  private primaryAlts?: OrMethodOpts<unknown>;
  private nameSuffixAlts?: IOrAlt<unknown>[];
  private suffixAlts?: IOrAlt<unknown>[];

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

  /**
   * `( e )`, or a lambda `(x, y) => body`. Both are read as a parenthesised list followed by an
   * optional `=> body`, so no backtracking or gate is needed; the AST builder then requires one
   * expression without `=>` (GD1003) and plain names with it (GD1009).
   */
  group = this.RULE('group', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression);
      });
    });
    this.CONSUME(T.RParen);
    this.OPTION2(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE3(this.expression, { LABEL: 'body' });
    });
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

  /**
   * `( args )` of a call, a method, a geometry or a domain; each argument is `value` or `name: value`.
   * Arguments are not nodes of their own: the builder pairs each `name:` with the expression of the
   * same comma-separated position.
   */
  argList = this.RULE('argList', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() =>
      this.AT_LEAST_ONE_SEP(
        (this.argDef ??= {
          SEP: T.Comma,
          DEF: () => {
            this.OPTION2(() => {
              this.CONSUME(T.Identifier);
              this.CONSUME(T.Colon);
            });
            this.SUBRULE(this.expression);
          },
        }),
      ),
    );
    this.CONSUME(T.RParen);
  });
  private argDef?: AtLeastOneSepMethodOpts<unknown>;
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
