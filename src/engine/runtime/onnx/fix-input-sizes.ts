import type { InputHints } from './input-hints';
import { planInputs, type DeclaredInput, type PlannedInput } from './input-plan';
import type { Value } from '../../ir/value';

/**
 * Gives every input among `inputs` that has a tensor shape the size the input plan runs it at (open dimensions at
 * the representative sizes: batch 1, images 224×224, other axes 512) and returns the plan. Inputs without a tensor
 * shape are left as they are.
 */
export function fixInputsAtPlannedSizes(inputs: readonly Value[], hints?: InputHints): PlannedInput[] {
  const declared: DeclaredInput[] = [];
  for (const v of inputs) {
    if (v.type?.kind !== 'tensor' || !v.type.shape) continue;
    declared.push({ name: v.name, dtype: v.type.dtype, shape: v.type.shape.map((d) => (d === null ? '' : d)) });
  }
  const plan = planInputs(declared, {}, undefined, hints);
  for (const v of inputs) {
    const planned = plan.find((p) => p.name === v.name);
    if (planned && v.type?.kind === 'tensor') v.type = { ...v.type, shape: planned.shape };
  }
  return plan;
}
