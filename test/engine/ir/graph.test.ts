import { describe, expect, it } from 'vitest';
import { Graph, Node, Tensor, Value, elementCount, formatShape, packedByteLength, dtypeBits } from '../../../src/engine/ir';
import { at } from '../../helpers/at';

function chain(): { g: Graph; nodes: Node[] } {
  const g = new Graph('main');
  const x = g.define(new Value('x'));
  const a = g.define(new Value('a'));
  const b = g.define(new Value('b'));
  g.inputs.push(x);
  const n2 = new Node('Relu', [a], [b], { name: 'second' });
  const n1 = new Node('Neg', [x], [a], { name: 'first' });
  g.addNodes([n2, n1]); // stored out of order on purpose
  g.outputs.push(b);
  return { g, nodes: [n1, n2] };
}

describe('Graph', () => {
  it('orders nodes topologically', () => {
    const { g, nodes } = chain();
    expect(g.topologicalOrder().order).toEqual(nodes);
  });

  it('reports a cycle', () => {
    const { g } = chain();
    const a = g.ownValue('a')!;
    at(g.nodes, 1).inputs = [g.ownValue('b')!];
    expect(
      g
        .topologicalOrder()
        .cycle?.map((n) => n.name)
        .sort(),
    ).toEqual(['first', 'second']);
    void a;
  });

  it('resolves outer-scope names from a subgraph and counts them as dependencies', () => {
    const { g } = chain();
    const body = new Graph('body', g);
    expect(body.value('a')).toBe(g.ownValue('a'));
    const out = body.define(new Value('r'));
    body.addNode(new Node('Identity', [body.value('b')], [out]));
    body.outputs.push(out);
    const y = g.define(new Value('y'));
    const ifNode = new Node('If', [g.ownValue('x')], [y], {
      name: 'if',
      attributes: [{ name: 'then_branch', value: { kind: 'graph', value: body } }],
    });
    g.addNode(ifNode, { at: 0 }); // before the producer of 'b'
    const order = g.topologicalOrder().order!.map((n) => n.name);
    expect(order.indexOf('if')).toBeGreaterThan(order.indexOf('second'));
  });

  it('tracks producers and consumers', () => {
    const { g, nodes } = chain();
    expect(g.ownValue('a')?.producer).toBe(nodes[0]);
    expect(g.ownValue('a')?.consumers).toEqual([nodes[1]]);
  });
});

describe('Tensor', () => {
  it('loads lazily and marks changes', () => {
    let loads = 0;
    const t = new Tensor('w', 'float32', [2], {
      loadBytes: () => (loads++, new Uint8Array(Float32Array.from([1, 2]).buffer)),
      byteLength: 8,
    });
    expect(t.isLazy).toBe(true);
    expect(t.byteLength).toBe(8);
    expect(loads).toBe(0);
    expect(Array.from(t.toTypedArray() as Float32Array)).toEqual([1, 2]);
    t.bytes();
    expect(loads).toBe(1);
    expect(t.changed).toBe(false);
    t.setBytes(new Uint8Array(8));
    expect(t.changed).toBe(true);
  });

  it('copies misaligned data for typed views', () => {
    const buf = new Uint8Array(9);
    buf.set(new Uint8Array(Float32Array.from([3, 4]).buffer), 1);
    const t = new Tensor('w', 'float32', [2], { loadBytes: () => buf.subarray(1) });
    expect(Array.from(t.toTypedArray() as Float32Array)).toEqual([3, 4]);
  });
});

describe('dtype and shape helpers', () => {
  it('sizes sub-byte and 8-bit float types', () => {
    expect(dtypeBits('int4')).toBe(4);
    expect(packedByteLength('uint4', 5)).toBe(3);
    expect(packedByteLength('float8e4m3fn', 5)).toBe(5);
    expect(packedByteLength('float4e2m1', 3)).toBe(2);
    expect(packedByteLength('string', 3)).toBeUndefined();
  });

  it('formats shapes and counts elements', () => {
    expect(formatShape(['N', 3, null])).toBe('[N,3,?]');
    expect(elementCount([2, 3, 4])).toBe(24);
    expect(elementCount([])).toBe(1);
  });
});
