import { describe, expect, it } from 'vitest';
import { Graph } from '../../../src/engine/ir/graph';
import { Node } from '../../../src/engine/ir/node';
import { Value } from '../../../src/engine/ir/value';
import { eliminateDeadCode } from '../../../src/engine/passes/eliminate-dead-code';
import { expectSameOutputs, GraphBuilder, opTypes, runPass } from './graph-builder';

describe('eliminate-dead-code', () => {
  it('removes unused nodes, initializers and value_info, keeps what outputs need', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2, 3]);
    const w = b.weight('w', [3]);
    const unusedW = b.weight('unused_w', [3]);
    const y = b.op('Add', [x, w]);
    const dead = b.op('Mul', [x, unusedW]);
    b.op('Relu', [dead]);
    b.graph.annotated.push(dead);
    b.output(b.op('Sigmoid', [y]), [2, 3]);
    await expectSameOutputs(b.model, async () => {
      const r = await runPass(eliminateDeadCode, b.model);
      expect(r.stats).toEqual({ nodesRemoved: 2, initializersRemoved: 1, valueInfoRemoved: 1 });
    });
    expect(opTypes(b.model)).toEqual(['Add', 'Sigmoid']);
    expect(b.graph.initializers.map((t) => t.name)).toEqual(['w']);
    expect(b.graph.annotated).toEqual([]);
  });

  it('keeps nodes whose outputs a subgraph captures', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2]);
    const cond = b.input('cond', [], 'bool');
    const captured = b.op('Neg', [x]);
    const branch = (op: string): Graph => {
      const g = new Graph(`${op}_branch`, b.graph);
      const out = g.define(new Value(`${op}_out`, { kind: 'tensor', dtype: 'float32', shape: [2] }));
      g.addNodes([new Node(op, [captured], [out])]);
      g.outputs.push(out);
      return g;
    };
    const y = b.op('If', [cond], {
      then_branch: { kind: 'graph', value: branch('Relu') },
      else_branch: { kind: 'graph', value: branch('Sigmoid') },
    });
    b.output(y, [2]);
    const r = await runPass(eliminateDeadCode, b.model);
    expect(r.changed).toBe(false);
    expect(opTypes(b.model)).toEqual(['Neg', 'If']);
  });
});
