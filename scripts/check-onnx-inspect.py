#!/usr/bin/python3
"""Independent reference for `scripts/check-inspect.ts`: reads ONNX files with the `onnx` Python
package (Debian python3-onnx) and prints, per file, inputs/outputs and the parameter count
(elements of all initializers and constant tensors, in every graph, subgraph and function).
Used only by checks; never a runtime dependency of Lithe."""
import json
import sys

import onnx

DTYPES = {
    1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
    10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
    17: 'float8e4m3fn', 18: 'float8e4m3fnuz', 19: 'float8e5m2', 20: 'float8e5m2fnuz', 21: 'uint4', 22: 'int4',
    23: 'float4e2m1', 24: 'float8e8m0', 25: 'uint2', 26: 'int2',
}


def numel(t):
    n = 1
    for d in t.dims:
        n *= d
    return n


def graph_params(g):
    total = sum(numel(t) for t in g.initializer)
    for node in g.node:
        total += nodes_params([node])
    return total


def nodes_params(nodes):
    total = 0
    for node in nodes:
        for a in node.attribute:
            if a.HasField('t'):
                total += numel(a.t)
            total += sum(numel(t) for t in a.tensors)
            if a.HasField('g'):
                total += graph_params(a.g)
            total += sum(graph_params(sg) for sg in a.graphs)
    return total


def dims(shape):
    return [d.dim_value if d.HasField('dim_value') else (d.dim_param if d.HasField('dim_param') else '?') for d in shape.dim]


def describe(t):
    """Same text as Lithe's formatValueType: float32[N,3], seq(…), map(k,v), optional(…)."""
    kind = t.WhichOneof('value')
    if kind in ('tensor_type', 'sparse_tensor_type'):
        tt = getattr(t, kind)
        shape = '[' + ','.join(str(d) for d in dims(tt.shape)) + ']' if tt.HasField('shape') else '[…]'
        return ('sparse ' if kind == 'sparse_tensor_type' else '') + DTYPES.get(tt.elem_type, str(tt.elem_type)) + shape
    if kind == 'sequence_type':
        return 'seq(' + (describe(t.sequence_type.elem_type) if t.sequence_type.HasField('elem_type') else '?') + ')'
    if kind == 'optional_type':
        return 'optional(' + (describe(t.optional_type.elem_type) if t.optional_type.HasField('elem_type') else '?') + ')'
    if kind == 'map_type':
        return 'map(' + DTYPES.get(t.map_type.key_type, '?') + ',' + describe(t.map_type.value_type) + ')'
    return '?'


def io(v):
    tt = v.type.tensor_type
    if not v.type.HasField('tensor_type'):
        return {'name': v.name, 'dtype': describe(v.type) if v.HasField('type') else 'unknown', 'shape': None}
    shape = None
    if tt.HasField('shape'):
        shape = dims(tt.shape)
    return {'name': v.name, 'dtype': DTYPES.get(tt.elem_type, str(tt.elem_type)), 'shape': shape}


out = {}
for path in sys.argv[1:]:
    m = onnx.load(path, load_external_data=False)
    inits = {t.name for t in m.graph.initializer}
    params = graph_params(m.graph) + sum(nodes_params(f.node) for f in m.functions)
    out[path] = {
        'inputs': [io(v) for v in m.graph.input if v.name not in inits],
        'outputs': [io(v) for v in m.graph.output],
        'paramCount': params,
        'nodeCount': len(m.graph.node),
    }
print(json.dumps(out))
