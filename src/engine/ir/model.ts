import type { Attribute } from './attribute';
import type { FormatExtras } from './format-extras';
import type { Graph } from './graph';

/** An operator set the model uses: `domain` `''` is the default ONNX domain. */
export interface OpsetImport {
  domain: string;
  version: number;
}

/** A key/value metadata entry (kept as a list: order and duplicates survive a round trip). */
export interface MetadataEntry {
  key: string;
  value: string;
}

/**
 * A model-local function (ONNX FunctionProto): a named, reusable body graph whose nodes may
 * refer to the function's attributes. Body inputs/outputs are the function's formal parameters.
 */
export interface FunctionDef {
  name: string;
  domain: string;
  overload: string;
  /** Names of attributes the function accepts without defaults. */
  attributeNames: string[];
  /** Attributes with default values. */
  attributeDefaults: Attribute[];
  opsets: OpsetImport[];
  body: Graph;
  docString: string;
  extras: FormatExtras | undefined;
}

/**
 * A whole model: its main graph, the operator sets it imports, model-local functions and
 * descriptive fields. `format` names the file format it was read from ('onnx', 'tflite', …).
 */
export class Model {
  format: string;
  graph: Graph;
  irVersion: number | undefined;
  producerName = '';
  producerVersion = '';
  domain = '';
  modelVersion: bigint | undefined;
  docString = '';
  opsets: OpsetImport[] = [];
  metadata: MetadataEntry[] = [];
  functions: FunctionDef[] = [];
  /**
   * Graphs that operators call by index rather than hold in an attribute (TFLite IF/WHILE/CALL_ONCE
   * bodies: subgraph 1 of the file is entry 0 here).
   */
  calledGraphs: Graph[] = [];
  /** Path of the file the model was read from, when it came from disk. */
  sourcePath: string | undefined;
  /** Format-specific side record (see {@link FormatExtras}). */
  extras: FormatExtras | undefined;

  constructor(format: string, graph: Graph) {
    this.format = format;
    this.graph = graph;
  }

  /** The imported version of operator set `domain` (`''` = default), if imported. */
  opsetVersion(domain = ''): number | undefined {
    const d = domain === 'ai.onnx' ? '' : domain;
    return this.opsets.find((o) => (o.domain === 'ai.onnx' ? '' : o.domain) === d)?.version;
  }
}
