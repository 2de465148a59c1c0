import type ort from 'onnxruntime-node';
import type { DeclaredInput } from './input-plan';

/** The inputs a session declares, in the form {@link planInputs} takes. */
export function declaredInputs(session: ort.InferenceSession): DeclaredInput[] {
  return session.inputMetadata.map((meta) =>
    meta.isTensor ? { name: meta.name, dtype: String(meta.type), shape: [...meta.shape] } : { name: meta.name, dtype: '', shape: [] },
  );
}
