import type { OpProfile, OpTime } from '../../contract/bench';

/** A tensor type and shape as ONNX Runtime's profiler records it. */
export interface TracedTensor {
  dtype: string;
  shape: number[];
}

/** One node execution from an ONNX Runtime profile. */
export interface TracedNode {
  name: string;
  opType: string;
  provider: string;
  /** Time in the node itself, µs (nested subgraph nodes of If/Loop/Scan are subtracted). */
  selfUs: number;
  inputs: TracedTensor[];
  outputs: TracedTensor[];
  parameterBytes: number;
  activationBytes: number;
  outputBytes: number;
  /** Which inference the execution belongs to (0 = the first counted `model_run`). */
  run?: number;
}

/** The node executions of a profile and the number of inferences they span. */
export interface ParsedTrace {
  nodes: TracedNode[];
  runs: number;
}

interface TraceEvent {
  cat?: string;
  name?: string;
  ts?: number;
  dur?: number;
  tid?: number;
  args?: Record<string, unknown>;
}

function tensors(value: unknown): TracedTensor[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    if (!entry || typeof entry !== 'object') return [];
    return Object.entries(entry as Record<string, unknown>).map(([dtype, shape]) => ({
      dtype,
      shape: Array.isArray(shape) ? shape.map(Number) : [],
    }));
  });
}

/** When a trace event ends (µs); events without times count as instants at 0. */
const end = (event: TraceEvent): number => (event.ts ?? 0) + (event.dur ?? 0);

const num = (value: unknown): number => (typeof value === 'string' || typeof value === 'number' ? Number(value) || 0 : 0);

/**
 * Parses the Chrome-trace JSON that ONNX Runtime writes when profiling. Node events that happen
 * during the first `model_run` are skipped when `skipFirstRun` (that run pays one-off costs).
 */
export function parseOrtTrace(json: string, options: { skipFirstRun?: boolean } = {}): ParsedTrace {
  const events = JSON.parse(json) as TraceEvent[];
  if (!Array.isArray(events)) throw new Error('the profile is not a JSON array of trace events');
  const runs = events.filter((event) => event.cat === 'Session' && event.name === 'model_run').sort((x, y) => (x.ts ?? 0) - (y.ts ?? 0));
  const [firstRun] = runs;
  const skipUntil = options.skipFirstRun && firstRun && runs.length > 1 ? end(firstRun) : -Infinity;
  const nodeEvents = events
    .filter(
      (event) =>
        event.cat === 'Node' && typeof event.name === 'string' && event.name.endsWith('_kernel_time') && (event.ts ?? 0) > skipUntil,
    )
    .sort((x, y) => (x.ts ?? 0) - (y.ts ?? 0) || (y.dur ?? 0) - (x.dur ?? 0));
  // Subtract nested node time (subgraphs of If/Loop/Scan) with one stack per thread.
  const nested = new Map<TraceEvent, number>();
  const stacks = new Map<number, TraceEvent[]>();
  for (const event of nodeEvents) {
    const stack = stacks.get(event.tid ?? 0) ?? [];
    stacks.set(event.tid ?? 0, stack);
    const start = event.ts ?? 0;
    for (let top = stack.at(-1); top && end(top) <= start; top = stack.at(-1)) stack.pop();
    const parent = stack.at(-1);
    if (parent) nested.set(parent, (nested.get(parent) ?? 0) + (event.dur ?? 0));
    stack.push(event);
  }
  const counted = runs.filter((run) => end(run) > skipUntil);
  const runOf = (event: TraceEvent): number => {
    const at = event.ts ?? 0;
    const index = counted.findIndex((run) => at >= (run.ts ?? 0) && at <= end(run));
    return Math.max(0, index);
  };
  const nodes = nodeEvents.map((event): TracedNode => {
    const args = event.args ?? {};
    return {
      run: runOf(event),
      name: (event.name ?? '').slice(0, -'_kernel_time'.length),
      opType: typeof args.op_name === 'string' ? args.op_name : 'unknown',
      provider: typeof args.provider === 'string' ? args.provider : '',
      selfUs: Math.max(0, (event.dur ?? 0) - (nested.get(event) ?? 0)),
      inputs: tensors(args.input_type_shape),
      outputs: tensors(args.output_type_shape),
      parameterBytes: num(args.parameter_size),
      activationBytes: num(args.activation_size),
      outputBytes: num(args.output_size),
    };
  });
  return { nodes, runs: Math.max(1, counted.length) };
}

function ranked(
  groups: Map<string, { opType: string; us: number; count: number }>,
  totalUs: number,
  runs: number,
  limit: number,
): OpTime[] {
  return [...groups.entries()]
    .map(([name, group]) => ({
      name,
      opType: group.opType,
      meanMs: group.us / runs / 1000,
      share: totalUs > 0 ? group.us / totalUs : 0,
      count: group.count / runs,
    }))
    .sort((x, y) => y.meanMs - x.meanMs)
    .slice(0, limit);
}

/** Time by operator type (all) and by node (top `topNodes`), per inference. */
export function summarizeTrace(trace: ParsedTrace, topNodes = 30): OpProfile {
  const byType = new Map<string, { opType: string; us: number; count: number }>();
  const byNode = new Map<string, { opType: string; us: number; count: number }>();
  let totalUs = 0;
  for (const node of trace.nodes) {
    totalUs += node.selfUs;
    const type = byType.get(node.opType) ?? { opType: node.opType, us: 0, count: 0 };
    type.us += node.selfUs;
    type.count++;
    byType.set(node.opType, type);
    const one = byNode.get(node.name) ?? { opType: node.opType, us: 0, count: 0 };
    one.us += node.selfUs;
    one.count++;
    byNode.set(node.name, one);
  }
  return {
    runs: trace.runs,
    totalMs: totalUs / trace.runs / 1000,
    byOpType: ranked(byType, totalUs, trace.runs, Number.POSITIVE_INFINITY),
    byNode: ranked(byNode, totalUs, trace.runs, topNodes),
  };
}
