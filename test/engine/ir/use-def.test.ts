import { describe, expect, it } from 'vitest';
import { Graph, Model, Node, Value, inferShapes, forgetInferredTypes } from '../../../src/engine/ir';
import { int64Tensor } from '../../../src/engine/passes/util/constants';

// x ─ Neg ─ a ─ Relu ─ b (output)
function chain(): { g: Graph; x: Value; a: Value; b: Value; neg: Node; relu: Node } {
  const g = new Graph('main');
  const [x, a, b] = ['x', 'a', 'b'].map((n) => g.define(new Value(n))) as [Value, Value, Value];
  g.inputs.push(x);
  const neg = new Node('Neg', [x], [a], { name: 'neg' });
  const relu = new Node('Relu', [a], [b], { name: 'relu' });
  g.addNodes([neg, relu]);
  g.outputs.push(b);
  return { g, x, a, b, neg, relu };
}

describe('use-def tracking', () => {
  it('knows producers and consumers as nodes are added, rewired and removed', () => {
    const { g, x, a, b, neg, relu } = chain();
    expect(a.producer).toBe(neg);
    expect(a.consumers).toEqual([relu]);
    expect(x.consumers).toEqual([neg]);
    relu.setInput(0, x);
    expect(a.consumers).toEqual([]);
    expect(x.consumers).toEqual([neg, relu]);
    g.removeNode(neg);
    expect(neg.graph).toBeUndefined();
    expect(x.consumers).toEqual([relu]);
    expect(a.producer).toBeUndefined();
    expect(b.producer).toBe(relu);
  });

  it('counts a value read twice by one node, and nodes outside a graph do not count', () => {
    const { g, a } = chain();
    const twice = new Node('Mul', [a, a], [g.define(new Value('sq'))]);
    expect(a.consumers).toHaveLength(1);
    g.addNode(twice);
    expect(a.consumers).toHaveLength(2);
    twice.replaceInput(a, undefined);
    expect(a.consumers).toHaveLength(1);
  });

  it('replaces a node in place and forgets values nothing refers to (name and value_info)', () => {
    const { g, x, a, relu } = chain();
    g.annotated.push(a);
    const abs = new Node('Abs', [x], [a], { name: 'abs' });
    g.replaceNode(at(g.nodes, 0), [abs]);
    expect(g.nodes.map((n) => n.name)).toEqual(['abs', 'relu']);
    expect(a.producer).toBe(abs);
    expect(g.annotated).toEqual([a]);
    // Relu now reads x directly: `a` is produced but unread; removing Abs leaves it dangling and forgotten.
    g.replaceAllUses(a, x);
    expect(relu.inputs).toEqual([x]);
    g.removeNode(abs);
    expect(g.ownValue('a')).toBeUndefined();
    expect(g.annotated).toEqual([]);
  });

  it('maps subgraph reads of an outer value to the node holding the subgraph', () => {
    const { g, a, relu } = chain();
    const body = new Graph('then', g);
    const r = body.define(new Value('r'));
    const inner = body.addNode(new Node('Identity', [a], [r]));
    body.outputs.push(r);
    const ifNode = g.addNode(
      new Node('If', [g.ownValue('x')], [g.define(new Value('y'))], {
        name: 'if',
        attributes: [{ name: 'then_branch', value: { kind: 'graph', value: body } }],
      }),
    );
    expect(a.consumers).toEqual([relu, inner]);
    expect(g.users(a)).toEqual([relu, ifNode]);
    expect(g.useCount(a)).toBe(2);
    const z = g.define(new Value('z'));
    expect(g.replaceAllUses(a, z)).toBe(2);
    expect(inner.inputs).toEqual([z]);
  });

  it('moves a node that is added again, instead of listing it twice', () => {
    const { g, neg, relu } = chain();
    g.addNode(neg, { after: relu });
    expect(g.nodes).toEqual([relu, neg]);
    const other = new Graph('other');
    other.addNode(relu);
    expect(g.nodes).toEqual([neg]);
    expect(relu.graph).toBe(other);
  });

  it('removes a value with its initializer, input entry and value_info', () => {
    const g = new Graph('g');
    const w = g.addInitializer(int64Tensor('w', [1], [3]));
    g.inputs.push(w);
    g.annotated.push(w);
    expect(g.removeValue(w)).toBe(true);
    expect([g.ownValue('w'), g.initializers, g.inputs, g.annotated, w.initializer]).toEqual([undefined, [], [], [], undefined]);
  });
});

describe('inferred types', () => {
  it('marks what inference filled in, reads Constant value_ints, and forgets only inferred types', () => {
    const g = new Graph('g');
    const x = g.define(new Value('x', { kind: 'tensor', dtype: 'float32', shape: [2, 6] }));
    g.inputs.push(x);
    const shape = g.define(new Value('shape'));
    const y = g.define(new Value('y'));
    const out = g.define(new Value('out'));
    g.addNodes([
      new Node('Constant', [], [shape], { attributes: [{ name: 'value_ints', value: { kind: 'ints', value: [3n, 4n] } }] }),
      new Node('Reshape', [x, shape], [y]),
      new Node('Relu', [y], [out]),
    ]);
    g.outputs.push(out); // declared (without a type): inference leaves it alone
    const m = new Model('onnx', g);
    m.opsets = [{ domain: '', version: 13 }];
    inferShapes(m);
    expect(y.type).toEqual({ kind: 'tensor', dtype: 'float32', shape: [3, 4] });
    expect([y.typeInferred, shape.typeInferred, x.typeInferred, out.type]).toEqual([true, true, false, undefined]);
    expect(forgetInferredTypes(m)).toBe(2);
    expect([y.type, x.type?.kind]).toEqual([undefined, 'tensor']);
    y.type = { kind: 'tensor', dtype: 'float32', shape: [12] };
    expect(y.typeInferred).toBe(false);
  });
});

function at<T>(list: readonly T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new Error(`no element ${i}`);
  return v;
}
