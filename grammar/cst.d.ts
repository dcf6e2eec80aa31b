import type { CstNode, ICstVisitor, IToken } from "chevrotain";

export interface ProgramCstNode extends CstNode {
  name: "program";
  children: ProgramCstChildren;
}

export type ProgramCstChildren = {
  dimDecl?: DimDeclCstNode[];
  constDecl?: ConstDeclCstNode[];
  dataDecl?: DataDeclCstNode[];
  paramDecl?: ParamDeclCstNode[];
  particlesDecl?: ParticlesDeclCstNode[];
  letDecl?: LetDeclCstNode[];
  defDecl?: DefDeclCstNode[];
  solveStmt?: SolveStmtCstNode[];
  phaseStmt?: PhaseStmtCstNode[];
  pruneStmt?: PruneStmtCstNode[];
  initStmt?: InitStmtCstNode[];
  saveStmt?: SaveStmtCstNode[];
  importStmt?: ImportStmtCstNode[];
  useStmt?: UseStmtCstNode[];
};

export interface DimDeclCstNode extends CstNode {
  name: "dimDecl";
  children: DimDeclCstChildren;
}

export type DimDeclCstChildren = {
  KwDim: IToken[];
  Identifier: IToken[];
  Equals: IToken[];
  expression: ExpressionCstNode[];
};

export interface ConstDeclCstNode extends CstNode {
  name: "constDecl";
  children: ConstDeclCstChildren;
}

export type ConstDeclCstChildren = {
  KwConst: IToken[];
  Identifier: IToken[];
  Equals: IToken[];
  expression: ExpressionCstNode[];
};

export interface DataDeclCstNode extends CstNode {
  name: "dataDecl";
  children: DataDeclCstChildren;
}

export type DataDeclCstChildren = {
  KwData: IToken[];
  Identifier: IToken[];
  Colon?: IToken[];
  shape?: ShapeCstNode[];
  Equals?: IToken[];
  init?: ExpressionCstNode[];
  KwBatch?: IToken[];
  batch?: ExpressionCstNode[];
};

export interface ParamDeclCstNode extends CstNode {
  name: "paramDecl";
  children: ParamDeclCstChildren;
}

export type ParamDeclCstChildren = {
  KwParam: IToken[];
  Identifier: IToken[];
  Colon?: IToken[];
  shape?: ShapeCstNode[];
  KwIn?: IToken[];
  domain?: IToken[];
  argList?: ArgListCstNode[];
  Equals?: IToken[];
  init?: ExpressionCstNode[];
  KwPer?: IToken[];
  per?: IToken[];
};

export interface ParticlesDeclCstNode extends CstNode {
  name: "particlesDecl";
  children: ParticlesDeclCstChildren;
}

export type ParticlesDeclCstChildren = {
  KwParticles: IToken[];
  Identifier: IToken[];
  Colon: IToken[];
  shape: ShapeCstNode[];
  Equals?: IToken[];
  init?: ExpressionCstNode[];
};

export interface ShapeCstNode extends CstNode {
  name: "shape";
  children: ShapeCstChildren;
}

export type ShapeCstChildren = {
  LBracket: IToken[];
  expression?: (ExpressionCstNode)[];
  Comma?: IToken[];
  RBracket: IToken[];
};

export interface LetDeclCstNode extends CstNode {
  name: "letDecl";
  children: LetDeclCstChildren;
}

export type LetDeclCstChildren = {
  KwLet: IToken[];
  Identifier: IToken[];
  Equals: IToken[];
  expression: ExpressionCstNode[];
};

export interface DefDeclCstNode extends CstNode {
  name: "defDecl";
  children: DefDeclCstChildren;
}

export type DefDeclCstChildren = {
  KwDef: IToken[];
  name: IToken[];
  paramList: ParamListCstNode[];
  Equals: IToken[];
  expression: ExpressionCstNode[];
};

export interface ParamListCstNode extends CstNode {
  name: "paramList";
  children: ParamListCstChildren;
}

export type ParamListCstChildren = {
  LParen: IToken[];
  Identifier?: (IToken)[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface SolveStmtCstNode extends CstNode {
  name: "solveStmt";
  children: SolveStmtCstChildren;
}

export type SolveStmtCstChildren = {
  KwMinimize?: IToken[];
  KwMaximize?: IToken[];
  Identifier: IToken[];
  Equals?: IToken[];
  expression?: ExpressionCstNode[];
  KwOver: IToken[];
  target: (TargetCstNode)[];
  Comma?: IToken[];
  KwBy: IToken[];
  method: IToken[];
  argList?: ArgListCstNode[];
  forClause?: ForClauseCstNode[];
  untilClause?: UntilClauseCstNode[];
  logClause?: LogClauseCstNode[];
  recordClause?: RecordClauseCstNode[];
  checkpointClause?: CheckpointClauseCstNode[];
};

export interface TargetCstNode extends CstNode {
  name: "target";
  children: TargetCstChildren;
}

export type TargetCstChildren = {
  Identifier: IToken[];
  KwIn?: IToken[];
  geometry?: GeometryCstNode[];
};

export interface GeometryCstNode extends CstNode {
  name: "geometry";
  children: GeometryCstChildren;
}

export type GeometryCstChildren = {
  name: IToken[];
  argList?: ArgListCstNode[];
  flag?: IToken[];
};

export interface ForClauseCstNode extends CstNode {
  name: "forClause";
  children: ForClauseCstChildren;
}

export type ForClauseCstChildren = {
  KwFor: IToken[];
  expression: ExpressionCstNode[];
  KwSteps: IToken[];
};

export interface UntilClauseCstNode extends CstNode {
  name: "untilClause";
  children: UntilClauseCstChildren;
}

export type UntilClauseCstChildren = {
  KwUntil: IToken[];
  cond: ExpressionCstNode[];
  KwMax?: IToken[];
  max?: ExpressionCstNode[];
  KwSteps?: IToken[];
};

export interface LogClauseCstNode extends CstNode {
  name: "logClause";
  children: LogClauseCstChildren;
}

export type LogClauseCstChildren = {
  KwLog: IToken[];
  KwEvery: IToken[];
  expression: ExpressionCstNode[];
  Colon: IToken[];
  outputItem: (OutputItemCstNode)[];
  Comma?: IToken[];
};

export interface RecordClauseCstNode extends CstNode {
  name: "recordClause";
  children: RecordClauseCstChildren;
}

export type RecordClauseCstChildren = {
  KwRecord: IToken[];
  outputItem: (OutputItemCstNode)[];
  Comma?: IToken[];
  KwEvery?: IToken[];
  expression?: ExpressionCstNode[];
  KwTo: IToken[];
  StringLit: IToken[];
};

export interface CheckpointClauseCstNode extends CstNode {
  name: "checkpointClause";
  children: CheckpointClauseCstChildren;
}

export type CheckpointClauseCstChildren = {
  KwCheckpoint: IToken[];
  KwEvery: IToken[];
  expression: ExpressionCstNode[];
};

export interface OutputItemCstNode extends CstNode {
  name: "outputItem";
  children: OutputItemCstChildren;
}

export type OutputItemCstChildren = {
  Identifier?: IToken[];
  Equals?: IToken[];
  expression: ExpressionCstNode[];
};

export interface PhaseStmtCstNode extends CstNode {
  name: "phaseStmt";
  children: PhaseStmtCstChildren;
}

export type PhaseStmtCstChildren = {
  KwPhase: IToken[];
  Identifier: IToken[];
  LBrace: IToken[];
  dimDecl?: DimDeclCstNode[];
  constDecl?: ConstDeclCstNode[];
  dataDecl?: DataDeclCstNode[];
  paramDecl?: ParamDeclCstNode[];
  particlesDecl?: ParticlesDeclCstNode[];
  letDecl?: LetDeclCstNode[];
  defDecl?: DefDeclCstNode[];
  solveStmt?: SolveStmtCstNode[];
  phaseStmt?: PhaseStmtCstNode[];
  pruneStmt?: PruneStmtCstNode[];
  initStmt?: InitStmtCstNode[];
  saveStmt?: SaveStmtCstNode[];
  importStmt?: ImportStmtCstNode[];
  useStmt?: UseStmtCstNode[];
  RBrace: IToken[];
};

export interface PruneStmtCstNode extends CstNode {
  name: "pruneStmt";
  children: PruneStmtCstChildren;
}

export type PruneStmtCstChildren = {
  KwPrune: IToken[];
  target: IToken[];
  KwKeep: IToken[];
  expression: ExpressionCstNode[];
  Percent?: IToken[];
  KwBy: IToken[];
  criterion: IToken[];
};

export interface InitStmtCstNode extends CstNode {
  name: "initStmt";
  children: InitStmtCstChildren;
}

export type InitStmtCstChildren = {
  KwInit: IToken[];
  Identifier: IToken[];
  KwFrom: IToken[];
  expression: ExpressionCstNode[];
};

export interface SaveStmtCstNode extends CstNode {
  name: "saveStmt";
  children: SaveStmtCstChildren;
}

export type SaveStmtCstChildren = {
  KwSave: IToken[];
  Identifier: (IToken)[];
  Comma?: IToken[];
  KwTo: IToken[];
  StringLit: IToken[];
};

export interface ImportStmtCstNode extends CstNode {
  name: "importStmt";
  children: ImportStmtCstChildren;
}

export type ImportStmtCstChildren = {
  KwImport: IToken[];
  StringLit: IToken[];
};

export interface UseStmtCstNode extends CstNode {
  name: "useStmt";
  children: UseStmtCstChildren;
}

export type UseStmtCstChildren = {
  KwUse: IToken[];
  Identifier: (IToken)[];
  Dot?: IToken[];
  KwPrune?: IToken[];
};

export interface ExpressionCstNode extends CstNode {
  name: "expression";
  children: ExpressionCstChildren;
}

export type ExpressionCstChildren = {
  AddOp?: IToken[];
  NumberLit?: IToken[];
  StringLit?: IToken[];
  Identifier?: IToken[];
  argList?: ArgListCstNode[];
  Arrow?: IToken[];
  body?: ExpressionCstNode[];
  tensorLit?: TensorLitCstNode[];
  group?: GroupCstNode[];
  indexSuffix?: IndexSuffixCstNode[];
  attrSuffix?: AttrSuffixCstNode[];
  BinaryOp?: IToken[];
};

export interface IndexSuffixCstNode extends CstNode {
  name: "indexSuffix";
  children: IndexSuffixCstChildren;
}

export type IndexSuffixCstChildren = {
  LBracket: IToken[];
  indexItem: (IndexItemCstNode)[];
  Comma?: IToken[];
  RBracket: IToken[];
};

export interface IndexItemCstNode extends CstNode {
  name: "indexItem";
  children: IndexItemCstChildren;
}

export type IndexItemCstChildren = {
  start?: ExpressionCstNode[];
  Colon?: (IToken)[];
  stop?: ExpressionCstNode[];
  step?: ExpressionCstNode[];
};

export interface AttrSuffixCstNode extends CstNode {
  name: "attrSuffix";
  children: AttrSuffixCstChildren;
}

export type AttrSuffixCstChildren = {
  Dot: IToken[];
  Identifier: IToken[];
};

export interface GroupCstNode extends CstNode {
  name: "group";
  children: GroupCstChildren;
}

export type GroupCstChildren = {
  LParen: IToken[];
  expression?: (ExpressionCstNode)[];
  Comma?: IToken[];
  RParen: IToken[];
  Arrow?: IToken[];
  body?: ExpressionCstNode[];
};

export interface TensorLitCstNode extends CstNode {
  name: "tensorLit";
  children: TensorLitCstChildren;
}

export type TensorLitCstChildren = {
  LBracket: IToken[];
  expression?: (ExpressionCstNode)[];
  Comma?: IToken[];
  RBracket: IToken[];
};

export interface ArgListCstNode extends CstNode {
  name: "argList";
  children: ArgListCstChildren;
}

export type ArgListCstChildren = {
  LParen: IToken[];
  Identifier?: IToken[];
  Colon?: IToken[];
  expression?: ExpressionCstNode[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface ICstNodeVisitor<IN, OUT> extends ICstVisitor<IN, OUT> {
  program(children: ProgramCstChildren, param?: IN): OUT;
  dimDecl(children: DimDeclCstChildren, param?: IN): OUT;
  constDecl(children: ConstDeclCstChildren, param?: IN): OUT;
  dataDecl(children: DataDeclCstChildren, param?: IN): OUT;
  paramDecl(children: ParamDeclCstChildren, param?: IN): OUT;
  particlesDecl(children: ParticlesDeclCstChildren, param?: IN): OUT;
  shape(children: ShapeCstChildren, param?: IN): OUT;
  letDecl(children: LetDeclCstChildren, param?: IN): OUT;
  defDecl(children: DefDeclCstChildren, param?: IN): OUT;
  paramList(children: ParamListCstChildren, param?: IN): OUT;
  solveStmt(children: SolveStmtCstChildren, param?: IN): OUT;
  target(children: TargetCstChildren, param?: IN): OUT;
  geometry(children: GeometryCstChildren, param?: IN): OUT;
  forClause(children: ForClauseCstChildren, param?: IN): OUT;
  untilClause(children: UntilClauseCstChildren, param?: IN): OUT;
  logClause(children: LogClauseCstChildren, param?: IN): OUT;
  recordClause(children: RecordClauseCstChildren, param?: IN): OUT;
  checkpointClause(children: CheckpointClauseCstChildren, param?: IN): OUT;
  outputItem(children: OutputItemCstChildren, param?: IN): OUT;
  phaseStmt(children: PhaseStmtCstChildren, param?: IN): OUT;
  pruneStmt(children: PruneStmtCstChildren, param?: IN): OUT;
  initStmt(children: InitStmtCstChildren, param?: IN): OUT;
  saveStmt(children: SaveStmtCstChildren, param?: IN): OUT;
  importStmt(children: ImportStmtCstChildren, param?: IN): OUT;
  useStmt(children: UseStmtCstChildren, param?: IN): OUT;
  expression(children: ExpressionCstChildren, param?: IN): OUT;
  indexSuffix(children: IndexSuffixCstChildren, param?: IN): OUT;
  indexItem(children: IndexItemCstChildren, param?: IN): OUT;
  attrSuffix(children: AttrSuffixCstChildren, param?: IN): OUT;
  group(children: GroupCstChildren, param?: IN): OUT;
  tensorLit(children: TensorLitCstChildren, param?: IN): OUT;
  argList(children: ArgListCstChildren, param?: IN): OUT;
}
