/**
 * Lithe's one graph IR, shared by every format and pass.
 *
 * - {@link Model}: main {@link Graph}, operator-set imports, model-local functions, descriptive
 *   fields (producer, doc string, metadata) and the format it came from.
 * - {@link Graph}: `nodes` (stored order), `inputs`/`outputs`, `initializers`, `annotated` values
 *   (declared types) and a name scope; subgraphs (If/Loop/Scan bodies, held in node attributes)
 *   have a `parent` and see the enclosing scopes.
 * - {@link Node}: operator type + domain, input/output {@link Value}s (`undefined` = omitted
 *   optional), typed {@link Attribute}s (64-bit ints as `bigint`).
 * - {@link Value}: a named edge; nodes hold the object, so a rename is one assignment
 *   (use {@link Graph.rename} to keep lookups right). A value knows its producer and consumers,
 *   kept current by the graph's edit methods (`addNodes`, `removeNodes`, `replaceNode`,
 *   `replaceAllUses`, `removeValue`). TFLite-style per-tensor quantization rides on the value
 *   ({@link ValueQuantization}).
 * - {@link Tensor}: constant data, lazily loaded; for files read from disk a zero-copy view of
 *   the file bytes until {@link Tensor.setBytes} replaces it. Every ONNX element type is a
 *   {@link DType}, including float16/bfloat16, float8 kinds, float4 and 2/4-bit integers.
 * - {@link FormatExtras}: opaque per-format side records on every object, so that a reader and
 *   writer of the same format can round-trip fields the IR does not model, losslessly.
 *
 * Shape inference for common operators: {@link inferShapes}.
 * @module
 */
export * from './dtype';
export * from './shape';
export * from './value-type';
export * from './format-extras';
export * from './tensor';
export * from './tensor-floats';
export * from './value';
export * from './quantization';
export * from './attribute';
export * from './node';
export * from './graph';
export * from './model';
export { forgetInferredTypes, inferShapes, type TensorInfo } from './shape-inference';
export { constantNodeTensor, isConstantNode, sharedTensor } from './constant-node';
export { broadcast, inferOp, type OpShapes } from './shape-rules';
