import {
  AttributeProto_AttributeType as AttributeType,
  type AttributeProto,
  type FunctionProto,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';
import { LitheError } from '../../errors';
import type { Attribute, AttributeValue } from '../../ir/attribute';
import { dtypeBits, type DType } from '../../ir/dtype';
import { Graph } from '../../ir/graph';
import { Model, type FunctionDef } from '../../ir/model';
import { Node } from '../../ir/node';
import { Tensor, type TensorSource } from '../../ir/tensor';
import { Value } from '../../ir/value';
import { dtypeFromOnnx } from './dtype-map';
import { ExternalDataFiles, isExternal, parseExternalRef } from './external-data';
import { extras, type OnnxAttributeRecord, type OnnxGraphRecord } from './records';
import { hasTypedFields, typedFieldCount, typedFieldsToBytes } from './tensor-data';
import { typeFromOnnx } from './value-types';

/** Where the model came from: used for error messages and for resolving external data. */
export interface ReadOrigin {
  file: string | undefined;
  baseDir: string | undefined;
}

class Reader {
  readonly external: ExternalDataFiles | undefined;
  constructor(readonly origin: ReadOrigin) {
    this.external = origin.baseDir ? new ExternalDataFiles(origin.baseDir, origin.file) : undefined;
  }

  fail(message: string): never {
    throw new LitheError('corrupt-model', message, { file: this.origin.file });
  }

  tensor(p: TensorProto, where: string): Tensor {
    const label = p.name ? `tensor '${p.name}'` : `an unnamed tensor in ${where}`;
    const dtype = dtypeFromOnnx(p.dataType);
    if (!dtype) this.fail(`${label} has unknown data type ${p.dataType}`);
    const dims = p.dims.map((d) => {
      if (d < 0n || d > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${label} has an invalid dimension ${d}`);
      return Number(d);
    });
    const t = new Tensor(p.name, dtype, dims, this.tensorSource(p, dtype, dims, label));
    t.docString = p.docString;
    t.extras = extras(p);
    return t;
  }

  /** Where the tensor's bytes are (raw_data view, typed fields, external file), after size checks. */
  tensorSource(p: TensorProto, dtype: DType, dims: number[], label: string): TensorSource {
    let count = 1;
    for (const d of dims) count *= d;
    const bits = dtypeBits(dtype);
    const expected = bits > 0 ? Math.ceil((count * bits) / 8) : undefined;
    const shapeText = `[${dims.join(',')}] (${count} elements of ${dtype})`;
    if (isExternal(p)) {
      if (!this.external) this.fail(`${label} uses external data, which needs the model's file path`);
      const opened = this.external.open(parseExternalRef(p.externalData, p.name, this.origin.file), p.name, expected);
      if (expected !== undefined && opened.length !== expected) {
        this.fail(`${label} has shape ${shapeText} = ${expected} bytes, but its external data holds ${opened.length} bytes`);
      }
      return { loadBytes: opened.load, byteLength: opened.length };
    }
    if (dtype === 'string') {
      if (p.stringData.length !== count && p.stringData.length > 0)
        this.fail(`${label} has shape ${shapeText} but holds ${p.stringData.length} strings`);
      return { loadStrings: () => p.stringData };
    }
    if (Object.prototype.hasOwnProperty.call(p, 'rawData')) {
      const raw = p.rawData;
      if (expected !== undefined && raw.byteLength !== expected) {
        this.fail(`${label} has shape ${shapeText} = ${expected} bytes, but raw_data holds ${raw.byteLength} bytes`);
      }
      return { loadBytes: () => raw, byteLength: raw.byteLength };
    }
    if (hasTypedFields(p)) {
      const n = typedFieldCount(p, dtype);
      const perInt = bits > 0 && bits < 8 ? 8 / bits : 1;
      if (n !== count && Math.ceil(count / perInt) !== n / perInt) this.fail(`${label} has shape ${shapeText} but holds ${n} values`);
    } else if (count > 0) {
      // No raw_data, no typed values, no external data: nothing to read (ONNX Runtime refuses it too).
      // Taking it as zeros would let an 89-byte file claim gigabytes of weights.
      this.fail(`${label} has shape ${shapeText} but holds no data`);
    }
    return { loadBytes: () => typedFieldsToBytes(p, dtype, count), byteLength: expected };
  }

  attribute(p: AttributeProto, graph: Graph | undefined): Attribute {
    const value = this.attributeValue(p, graph);
    const a: Attribute = { name: p.name, value };
    if (p.refAttrName) a.ref = p.refAttrName;
    if (p.docString) a.docString = p.docString;
    const record: OnnxAttributeRecord = { proto: p, valueAtRead: value };
    a.extras = extras(record);
    return a;
  }

  attributeValue(p: AttributeProto, graph: Graph | undefined): AttributeValue {
    const where = `attribute '${p.name}'`;
    switch (p.type || guessAttributeType(p)) {
      case AttributeType.FLOAT:
        return { kind: 'float', value: p.f };
      case AttributeType.INT:
        return { kind: 'int', value: p.i };
      case AttributeType.STRING:
        return { kind: 'string', value: p.s };
      case AttributeType.TENSOR:
        return p.t ? { kind: 'tensor', value: this.tensor(p.t, where) } : { kind: 'opaque', value: undefined };
      case AttributeType.GRAPH:
        return p.g ? { kind: 'graph', value: this.graph(p.g, graph) } : { kind: 'opaque', value: undefined };
      case AttributeType.FLOATS:
        return { kind: 'floats', value: p.floats };
      case AttributeType.INTS:
        return { kind: 'ints', value: p.ints };
      case AttributeType.STRINGS:
        return { kind: 'strings', value: p.strings };
      case AttributeType.TENSORS:
        return { kind: 'tensors', value: p.tensors.map((t) => this.tensor(t, where)) };
      case AttributeType.GRAPHS:
        return { kind: 'graphs', value: p.graphs.map((g) => this.graph(g, graph)) };
      default:
        return { kind: 'opaque', value: undefined };
    }
  }

  node(p: NodeProto, graph: Graph): Node {
    const inputs = p.input.map((n) => (n === '' ? undefined : graph.valueOrCreate(n)));
    const outputs = p.output.map((n) => (n === '' ? undefined : (graph.ownValue(n) ?? graph.define(new Value(n)))));
    const node = new Node(p.opType, inputs, outputs, { name: p.name, domain: p.domain });
    node.attributes = p.attribute.map((a) => this.attribute(a, graph));
    node.docString = p.docString;
    node.extras = extras(p);
    return node;
  }

  graph(p: GraphProto, parent: Graph | undefined): Graph {
    const g = new Graph(p.name, parent);
    g.docString = p.docString;
    const record: OnnxGraphRecord = { proto: p, inputs: new Map(), outputs: new Map(), valueInfo: new Map(), typeAtRead: new Map() };
    g.extras = extras(record);
    const declare = (vi: ValueInfoProto, v: Value, into: Map<Value, ValueInfoProto>): void => {
      into.set(v, vi);
      if (!v.type) v.type = typeFromOnnx(vi.type);
      if (!v.docString) v.docString = vi.docString;
    };
    for (const vi of p.input) {
      const v = g.ownValue(vi.name) ?? g.define(new Value(vi.name));
      g.inputs.push(v);
      declare(vi, v, record.inputs);
    }
    for (const t of p.initializer) g.addInitializer(this.tensor(t, `graph '${p.name}'`));
    for (const s of p.sparseInitializer) {
      const name = s.values?.name;
      if (name && !g.ownValue(name)) g.define(new Value(name));
    }
    // Define every node output first so node order does not matter for name resolution.
    for (const n of p.node) for (const o of n.output) if (o !== '' && !g.ownValue(o)) g.define(new Value(o));
    g.nodes = p.node.map((n) => this.node(n, g));
    for (const vi of p.output) {
      const v = g.valueOrCreate(vi.name);
      g.outputs.push(v);
      declare(vi, v, record.outputs);
    }
    for (const vi of p.valueInfo) {
      const v = g.valueOrCreate(vi.name);
      g.annotated.push(v);
      declare(vi, v, record.valueInfo);
    }
    for (const v of [...g.inputs, ...g.outputs, ...g.annotated]) record.typeAtRead.set(v, v.type);
    return g;
  }

  function(p: FunctionProto): FunctionDef {
    const body = new Graph(p.name);
    const record: OnnxGraphRecord = {
      proto: undefined as unknown as GraphProto,
      inputs: new Map(),
      outputs: new Map(),
      valueInfo: new Map(),
      typeAtRead: new Map(),
    };
    body.extras = extras(record);
    body.inputs = p.input.map((n) => body.ownValue(n) ?? body.define(new Value(n)));
    for (const n of p.node) for (const o of n.output) if (o !== '' && !body.ownValue(o)) body.define(new Value(o));
    body.nodes = p.node.map((n) => this.node(n, body));
    body.outputs = p.output.map((n) => body.valueOrCreate(n));
    for (const vi of p.valueInfo) {
      const v = body.valueOrCreate(vi.name);
      body.annotated.push(v);
      record.valueInfo.set(v, vi);
      v.type = typeFromOnnx(vi.type);
      record.typeAtRead.set(v, v.type);
    }
    return {
      name: p.name,
      domain: p.domain,
      overload: p.overload,
      attributeNames: [...p.attribute],
      attributeDefaults: p.attributeProto.map((a) => this.attribute(a, undefined)),
      opsets: p.opsetImport.map((o) => ({ domain: o.domain, version: Number(o.version) })),
      body,
      docString: p.docString,
      extras: extras(p),
    };
  }

  model(p: ModelProto): Model {
    if (!p.graph) this.fail('the ONNX model has no graph');
    const model = new Model('onnx', this.graph(p.graph, undefined));
    model.irVersion = Object.prototype.hasOwnProperty.call(p, 'irVersion') ? Number(p.irVersion) : undefined;
    model.producerName = p.producerName;
    model.producerVersion = p.producerVersion;
    model.domain = p.domain;
    model.modelVersion = Object.prototype.hasOwnProperty.call(p, 'modelVersion') ? p.modelVersion : undefined;
    model.docString = p.docString;
    model.opsets = p.opsetImport.map((o) => ({ domain: o.domain, version: Number(o.version) }));
    model.metadata = p.metadataProps.map((m) => ({ key: m.key, value: m.value }));
    model.functions = p.functions.map((f) => this.function(f));
    model.extras = extras(p);
    model.sourcePath = this.origin.file;
    return model;
  }
}

/** Attribute type from the field that is set, for old files (IR < 3) that omit `type`. */
function guessAttributeType(p: AttributeProto): AttributeType {
  const has = (key: keyof AttributeProto): boolean => Object.prototype.hasOwnProperty.call(p, key);
  if (has('f')) return AttributeType.FLOAT;
  if (has('i')) return AttributeType.INT;
  if (has('s')) return AttributeType.STRING;
  if (p.t) return AttributeType.TENSOR;
  if (p.g) return AttributeType.GRAPH;
  if (p.floats.length) return AttributeType.FLOATS;
  if (p.ints.length) return AttributeType.INTS;
  if (p.strings.length) return AttributeType.STRINGS;
  if (p.tensors.length) return AttributeType.TENSORS;
  if (p.graphs.length) return AttributeType.GRAPHS;
  return AttributeType.UNDEFINED;
}

/** Converts a decoded ModelProto into the IR, validating tensors and external data on the way. */
export function modelFromProto(proto: ModelProto, origin: ReadOrigin): Model {
  return new Reader(origin).model(proto);
}

/** Converts one TensorProto into an IR tensor (validating its size against its shape). */
export function tensorFromProto(proto: TensorProto, origin: ReadOrigin): Tensor {
  return new Reader(origin).tensor(proto, 'a tensor file');
}
