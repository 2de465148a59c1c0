/**
 * Optimizer steps over the parameters' Float32Arrays, in place.
 *
 *   SGD with momentum μ (coupled L2 decay λ):  g ← g + λ·w;  v ← μ·v + g;  w ← w − lr·v   (Nesterov: w ← w − lr·(g + μ·v))
 *   AdamW (decoupled decay λ):  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  w ← w − lr·(m̂/(√v̂ + ε) + λ·w)
 * Gradient clipping scales every gradient by min(1, c / ‖g‖₂) over all parameters together.
 * Weight decay applies to weights (rank ≥ 2), not to biases and normalization parameters.
 */
import type { OptimizerOptions } from '../../contract/train';

/** A parameter the optimizer updates. */
export interface OptimizedParam {
  name: string;
  dims: readonly number[];
  value: Float32Array;
  grad: Float32Array;
}

/** The optimizer's per-parameter buffers, for checkpoints. */
export interface OptimizerState {
  step: number;
  buffers: Record<string, Float32Array[]>;
}

/** Updates parameters from their gradients; keeps its moment buffers between steps. */
export class Optimizer {
  readonly options: OptimizerOptions;
  #step = 0;
  readonly #buffers = new Map<string, Float32Array[]>();

  constructor(options: OptimizerOptions) {
    this.options = options;
  }

  /** Applies one update with learning rate `lr`; returns the global gradient norm before clipping. */
  step(params: readonly OptimizedParam[], lr: number): number {
    this.#step++;
    const norm = Math.sqrt(params.reduce((sum, p) => sum + squaredNorm(p.grad), 0));
    const clip = this.options.clipNorm && norm > this.options.clipNorm ? this.options.clipNorm / norm : 1;
    for (const p of params) {
      const decay = p.dims.length >= 2 ? this.options.weightDecay : 0;
      if (this.options.kind === 'sgd') this.sgd(p, lr, clip, decay);
      else this.adamw(p, lr, clip, decay);
    }
    return norm;
  }

  private buffers(p: OptimizedParam, count: number): Float32Array[] {
    let list = this.#buffers.get(p.name);
    if (!list) {
      list = Array.from({ length: count }, () => new Float32Array(p.value.length));
      this.#buffers.set(p.name, list);
    }
    return list;
  }

  private sgd(p: OptimizedParam, lr: number, clip: number, decay: number): void {
    const { momentum, nesterov } = this.options;
    const [v] = this.buffers(p, 1) as [Float32Array];
    const w = p.value;
    const g = p.grad;
    for (let i = 0; i < w.length; i++) {
      const grad = g[i]! * clip + decay * w[i]!;
      const velocity = momentum * v[i]! + grad;
      v[i] = velocity;
      w[i] = w[i]! - lr * (nesterov ? grad + momentum * velocity : velocity);
    }
  }

  private adamw(p: OptimizedParam, lr: number, clip: number, decay: number): void {
    const { beta1, beta2, epsilon } = this.options;
    const [m, v] = this.buffers(p, 2) as [Float32Array, Float32Array];
    const c1 = 1 - beta1 ** this.#step;
    const c2 = 1 - beta2 ** this.#step;
    const w = p.value;
    const g = p.grad;
    for (let i = 0; i < w.length; i++) {
      const grad = g[i]! * clip;
      const mi = beta1 * m[i]! + (1 - beta1) * grad;
      const vi = beta2 * v[i]! + (1 - beta2) * grad * grad;
      m[i] = mi;
      v[i] = vi;
      w[i] = w[i]! - lr * (mi / c1 / (Math.sqrt(vi / c2) + epsilon) + decay * w[i]!);
    }
  }

  /** The step count and moment buffers (shared, not copied). */
  state(): OptimizerState {
    return { step: this.#step, buffers: Object.fromEntries(this.#buffers) };
  }

  /** Restores a state saved by {@link state}. */
  restore(state: OptimizerState): void {
    this.#step = state.step;
    this.#buffers.clear();
    for (const [name, list] of Object.entries(state.buffers)) this.#buffers.set(name, list);
  }
}

function squaredNorm(g: Float32Array): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
  return s;
}
