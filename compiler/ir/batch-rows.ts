/**
 * The batch rows of a table inside a graph, for `state: dense` steps of `per` params: the step takes the
 * whole table as input and reads its minibatch rows through a 0/1 selection matrix, so reverse mode gives
 * the whole table's gradient (the batch rows' gradients scattered, exact zeros elsewhere) with no gather
 * or scatter op of its own (one_hot, reshape and matmul already have kernels, emitters and VJPs).
 */
import type { GraphBuilder } from './builder.js';
import type { Var } from './ir.js';
import { sizeOf } from './ops.js';

/**
 * Rows `rows` ([batch], integer-valued floats) of `table` ([n, ...rest]) as [batch, ...rest]:
 * one_hot(rows, n) @ reshape(table, [n, prod(rest)]). Each output entry is 1·x plus exact zeros, so the
 * values are the table's bit for bit (finite tables); the cost is batch·n·prod(rest) multiply-adds.
 */
export function gatherBatchRows(b: GraphBuilder, table: Var, rows: Var): Var {
  const [n, ...rest] = table.shape;
  const batch = rows.shape[0]!;
  const select = b.op('one_hot', [rows], { depth: n! });
  const flat = b.reshape(table, [n!, sizeOf(rest)]);
  return b.reshape(b.matmul(select, flat), [batch, ...rest]);
}
