import ort from 'onnxruntime-node';
import { throughGate, throughGateSync } from './native-gate';

/** The methods of an ONNX Runtime session that call into the native addon. */
interface SessionMethods {
  run(...args: unknown[]): Promise<unknown>;
  release(): Promise<void>;
  startProfiling(): void;
  endProfiling(): void;
}

interface SessionClass {
  create(...args: unknown[]): Promise<unknown>;
  prototype: SessionMethods;
}

/**
 * Makes every call of this thread into ONNX Runtime (creating, running, releasing and profiling a
 * session) go through `gate` (see native-gate.ts), so that the parent terminates this worker only
 * between such calls. Call it once in a job's worker thread, before the job starts.
 */
export function guardOnnxRuntime(gate: SharedArrayBuffer): void {
  // onnxruntime-common's InferenceSession: its type declares `create` only, the class has the rest.
  const Session = ort.InferenceSession as unknown as SessionClass;
  const { create } = Session;
  const { run, release, startProfiling, endProfiling } = Session.prototype;
  Session.create = (...args) => throughGate(gate, () => create.apply(Session, args));
  Session.prototype.run = function (this: SessionMethods, ...args) {
    return throughGate(gate, () => run.apply(this, args));
  };
  Session.prototype.release = function (this: SessionMethods) {
    return throughGate(gate, () => release.apply(this));
  };
  Session.prototype.startProfiling = function (this: SessionMethods) {
    throughGateSync(gate, () => startProfiling.apply(this));
  };
  Session.prototype.endProfiling = function (this: SessionMethods) {
    throughGateSync(gate, () => endProfiling.apply(this));
  };
}
