import { create, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import {
  AttributeProtoSchema,
  AttributeProto_AttributeType as AttributeType,
  FunctionProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TensorProtoSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type FunctionProto,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type OperatorSetIdProto,
  type StringStringEntryProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';
import type { Attribute } from '../../ir/attribute';
import type { Graph } from '../../ir/graph';
import type { FunctionDef, MetadataEntry, Model, OpsetImport } from '../../ir/model';
import type { Node } from '../../ir/node';
import type { Tensor } from '../../ir/tensor';
import type { Value } from '../../ir/value';
import { dtypeToOnnx } from './dtype-map';
import { isExternal } from './external-data';
import { recordOf, type OnnxAttributeRecord, type OnnxGraphRecord } from './records';
import { typeToOnnx } from './value-types';
import { uniqueNodeNames } from './unique-node-names';

/** Decides how each tensor is stored; the writer uses it to move data to an external file. */
export interface TensorPlacement {
  /**
   * Returns external_data entries when `tensor` goes to an external file, else `undefined`.
   * `initializer` is false for tensors held in node attributes.
   */
  place(tensor: Tensor, initializer: boolean): StringStringEntryProto[] | undefined;
}

/** A shallow copy keeping the prototype (so proto2 presence and defaults behave as in `orig`). */
function copyOf<T extends object>(orig: T): T {
  return Object.assign(Object.create(Object.getPrototypeOf(orig) as object) as T, orig);
}

function fresh<Desc extends DescMessage>(schema: Desc, orig: MessageShape<Desc> | undefined): MessageShape<Desc> {
  return orig ? copyOf(orig) : create(schema);
}

/** Sets a field only when it differs, so unchanged fields keep their presence bit as read. */
function assign<T, K extends keyof T>(msg: T, key: K, value: T[K]): void {
  if (msg[key] !== value) msg[key] = value;
}

const DATA_FIELDS = ['floatData', 'int32Data', 'stringData', 'int64Data', 'doubleData', 'uint64Data'] as const;

class Writer {
  constructor(readonly placement: TensorPlacement | undefined) {}

  tensor(t: Tensor, name = t.name, initializer = false): TensorProto {
    const orig = recordOf<TensorProto>(t);
    const p = fresh(TensorProtoSchema, orig);
    assign(p, 'name', name);
    assign(p, 'docString', t.docString);
    const dataType = dtypeToOnnx(t.dtype);
    assign(p, 'dataType', dataType);
    if (!orig || orig.dims.length !== t.dims.length || orig.dims.some((d, i) => Number(d) !== t.dims[i])) p.dims = t.dims.map(BigInt);
    const external = this.placement?.place(t, initializer);
    const keepStored = orig !== undefined && !t.changed && orig.dataType === dataType;
    if (external) {
      for (const f of DATA_FIELDS) if (p[f].length) p[f] = [];
      delete (p as Partial<TensorProto>).rawData;
      p.externalData = external;
      p.dataLocation = 1;
    } else if (keepStored && !isExternal(orig)) {
      // Data untouched: keep its original encoding (raw_data or typed fields), byte for byte.
    } else {
      for (const f of DATA_FIELDS) if (p[f].length) p[f] = [];
      delete (p as Partial<TensorProto>).rawData;
      if (p.externalData.length) p.externalData = [];
      if (Object.prototype.hasOwnProperty.call(p, 'dataLocation')) delete (p as Partial<TensorProto>).dataLocation;
      if (t.dtype === 'string') p.stringData = t.strings() as Uint8Array<ArrayBuffer>[];
      else p.rawData = t.bytes() as Uint8Array<ArrayBuffer>;
    }
    return p;
  }

  attribute(a: Attribute): AttributeProto {
    const rec = recordOf<OnnxAttributeRecord>(a);
    const v = a.value;
    if (
      rec &&
      (v.kind === 'opaque' ||
        (rec.valueAtRead === v && v.kind !== 'tensor' && v.kind !== 'tensors' && v.kind !== 'graph' && v.kind !== 'graphs'))
    ) {
      const p = copyOf(rec.proto);
      assign(p, 'name', a.name);
      return p;
    }
    const sameKind = rec !== undefined && rec.valueAtRead.kind === v.kind;
    const p = sameKind ? copyOf(rec.proto) : create(AttributeProtoSchema);
    if (!sameKind && rec) {
      if (rec.proto.docString) p.docString = rec.proto.docString;
      if (rec.proto.$unknown) p.$unknown = rec.proto.$unknown;
    }
    assign(p, 'name', a.name);
    if (a.ref !== undefined || p.refAttrName) assign(p, 'refAttrName', a.ref ?? '');
    if (a.docString !== undefined) assign(p, 'docString', a.docString);
    switch (v.kind) {
      case 'float':
        assign(p, 'type', AttributeType.FLOAT);
        assign(p, 'f', v.value);
        break;
      case 'int':
        assign(p, 'type', AttributeType.INT);
        assign(p, 'i', v.value);
        break;
      case 'string':
        assign(p, 'type', AttributeType.STRING);
        assign(p, 's', v.value as Uint8Array<ArrayBuffer>);
        break;
      case 'tensor':
        assign(p, 'type', AttributeType.TENSOR);
        p.t = this.tensor(v.value);
        break;
      case 'graph':
        assign(p, 'type', AttributeType.GRAPH);
        p.g = this.graph(v.value);
        break;
      case 'floats':
        assign(p, 'type', AttributeType.FLOATS);
        p.floats = v.value;
        break;
      case 'ints':
        assign(p, 'type', AttributeType.INTS);
        p.ints = v.value;
        break;
      case 'strings':
        assign(p, 'type', AttributeType.STRINGS);
        p.strings = v.value as Uint8Array<ArrayBuffer>[];
        break;
      case 'tensors':
        assign(p, 'type', AttributeType.TENSORS);
        p.tensors = v.value.map((t) => this.tensor(t));
        break;
      case 'graphs':
        assign(p, 'type', AttributeType.GRAPHS);
        p.graphs = v.value.map((g) => this.graph(g));
        break;
    }
    return p;
  }

  node(n: Node): NodeProto {
    const orig = recordOf<NodeProto>(n);
    const p = fresh(NodeProtoSchema, orig);
    const inputs = n.inputs.map((v) => v?.name ?? '');
    const outputs = n.outputs.map((v) => v?.name ?? '');
    if (!orig || !sameStrings(orig.input, inputs)) p.input = inputs;
    if (!orig || !sameStrings(orig.output, outputs)) p.output = outputs;
    assign(p, 'name', n.name);
    assign(p, 'opType', n.opType);
    assign(p, 'domain', n.domain);
    assign(p, 'docString', n.docString);
    p.attribute = n.attributes.map((a) => this.attribute(a));
    return p;
  }

  valueInfo(v: Value, orig: ValueInfoProto | undefined, typeUnchanged: boolean): ValueInfoProto {
    if (orig && typeUnchanged) {
      if (orig.name === v.name) return orig;
      const p = copyOf(orig);
      p.name = v.name;
      return p;
    }
    const p = fresh(ValueInfoProtoSchema, orig);
    assign(p, 'name', v.name);
    assign(p, 'docString', v.docString);
    const type = typeToOnnx(v.type);
    if (type) p.type = type;
    else delete (p as Partial<ValueInfoProto>).type;
    return p;
  }

  declarations(values: Value[], from: Map<Value, ValueInfoProto> | undefined, rec: OnnxGraphRecord | undefined): ValueInfoProto[] {
    return values.map((v) =>
      this.valueInfo(v, from?.get(v), rec !== undefined && rec.typeAtRead.has(v) && rec.typeAtRead.get(v) === v.type),
    );
  }

  graph(g: Graph): GraphProto {
    const rec = recordOf<OnnxGraphRecord>(g);
    const p = fresh(GraphProtoSchema, rec?.proto);
    assign(p, 'name', g.name);
    assign(p, 'docString', g.docString);
    p.node = g.nodes.map((n) => this.node(n));
    uniqueNodeNames(p.node);
    // An initializer is named after the value it defines (a renamed value renames its data).
    const owner = new Map<Tensor, string>();
    for (const v of g.ownValues()) if (v.initializer) owner.set(v.initializer, v.name);
    p.initializer = g.initializers.map((t) => this.tensor(t, owner.get(t), true));
    p.input = this.declarations(g.inputs, rec?.inputs, rec);
    p.output = this.declarations(g.outputs, rec?.outputs, rec);
    p.valueInfo = this.declarations(g.annotated, rec?.valueInfo, rec);
    return p;
  }

  function(f: FunctionDef): FunctionProto {
    const orig = recordOf<FunctionProto>(f);
    const p = fresh(FunctionProtoSchema, orig);
    const rec = recordOf<OnnxGraphRecord>(f.body);
    assign(p, 'name', f.name);
    assign(p, 'domain', f.domain);
    assign(p, 'overload', f.overload);
    assign(p, 'docString', f.docString);
    const inputs = f.body.inputs.map((v) => v.name);
    const outputs = f.body.outputs.map((v) => v.name);
    if (!orig || !sameStrings(orig.input, inputs)) p.input = inputs;
    if (!orig || !sameStrings(orig.output, outputs)) p.output = outputs;
    if (!orig || !sameStrings(orig.attribute, f.attributeNames)) p.attribute = [...f.attributeNames];
    p.attributeProto = f.attributeDefaults.map((a) => this.attribute(a));
    p.opsetImport = this.opsets(f.opsets, orig?.opsetImport);
    p.node = f.body.nodes.map((n) => this.node(n));
    p.valueInfo = this.declarations(f.body.annotated, rec?.valueInfo, rec);
    return p;
  }

  opsets(opsets: OpsetImport[], orig: OperatorSetIdProto[] | undefined): OperatorSetIdProto[] {
    if (orig && sameList(orig, opsets, (o, e) => o.domain === e.domain && Number(o.version) === e.version)) return orig;
    return opsets.map((o) => create(OperatorSetIdProtoSchema, { domain: o.domain, version: BigInt(o.version) }));
  }

  metadata(entries: MetadataEntry[], orig: StringStringEntryProto[] | undefined): StringStringEntryProto[] {
    if (orig && sameList(orig, entries, (o, e) => o.key === e.key && o.value === e.value)) return orig;
    return entries.map((e) => create(StringStringEntryProtoSchema, { key: e.key, value: e.value }));
  }

  model(m: Model): ModelProto {
    const orig = recordOf<ModelProto>(m);
    const p = fresh(ModelProtoSchema, orig);
    if (m.irVersion !== undefined) assign(p, 'irVersion', BigInt(m.irVersion));
    assign(p, 'producerName', m.producerName);
    assign(p, 'producerVersion', m.producerVersion);
    assign(p, 'domain', m.domain);
    if (m.modelVersion !== undefined) assign(p, 'modelVersion', m.modelVersion);
    assign(p, 'docString', m.docString);
    p.opsetImport = this.opsets(m.opsets, orig?.opsetImport);
    p.metadataProps = this.metadata(m.metadata, orig?.metadataProps);
    p.graph = this.graph(m.graph);
    p.functions = m.functions.map((f) => this.function(f));
    return p;
  }
}

/** True when both lists have the same length and `same` holds for each pair of entries. */
function sameList<A, B>(a: readonly A[], b: readonly B[], same: (x: A, y: B) => boolean): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i];
      return y !== undefined && same(x, y);
    })
  );
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return sameList(a, b, (x, y) => x === y);
}

/** Builds the ModelProto for `model`, reusing the original protos for everything unchanged. */
export function modelToProto(model: Model, placement?: TensorPlacement): ModelProto {
  return new Writer(placement).model(model);
}
