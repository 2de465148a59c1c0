import type { Recipe } from './recipe';

/** Quantization recipes: the graph clean-up, then one quantization step (opset 13 for per-channel int8). */
export function quantizationRecipes(graphSteps: Recipe['steps']): Recipe[] {
  const opset13 = graphSteps.map((step) => (step.pass === 'upgrade-opset' ? { pass: 'upgrade-opset', options: { target: 13 } } : step));
  return [
    {
      name: 'int8-dynamic',
      title: 'Smaller weights (int8, no data needed)',
      description:
        'Stores the weights of matrix, convolution and LSTM layers as 8-bit integers: about 4× smaller weights, no sample data needed. ' +
        'Matrix and LSTM layers also compute in 8 bits (faster for dense and transformer models and large LSTMs, slower for small ones); convolutions and GRU layers compute in float.',
      steps: [...opset13, { pass: 'quantize-int8-dynamic', options: {} }],
    },
    {
      name: 'int8-static',
      title: 'About 4× smaller, calibrated on your data (int8)',
      description:
        'Weights and activations in 8 bits, with ranges learned from your sample data (--data). About 4× smaller and usually faster; check the accuracy the report measures. ' +
        'Depthwise layers are first balanced against their neighbours (exact). ' +
        'A TFLite model whose outputs int8 activations move too far gets int16 activations (weights still int8) when that does better.',
      steps: [
        ...opset13,
        { pass: 'equalize-channels', options: { pairs: 'depthwise' } },
        // Bias correction (biasCorrection: true) is not on by default: on a 2-class text-direction classifier it moved
        // near-tied answers across (top-1 agreement 66.7 % on generated inputs, 100 % without it).
        { pass: 'quantize-int8-static', options: { tfliteActivations: 'auto' } },
      ],
    },
    {
      name: 'int8-qat',
      title: 'About 4× smaller, trained to keep accuracy (int8)',
      description:
        'Int8 weights and activations like int8-static, but the model is fine-tuned on your data (--data) while it sees 8-bit rounding first, so it ' +
        'keeps its accuracy. Labels are optional: without them the float model teaches. Takes longer (it trains).',
      steps: [...opset13, { pass: 'quantize-int8-qat', options: {} }],
    },
    {
      name: 'fp16',
      title: 'Half size, same results (float16)',
      description:
        'Stores numbers in 16 bits: about half the size with almost identical results. Faster on GPUs and NPUs with float16 support.',
      steps: [...graphSteps, { pass: 'quantize-fp16', options: {} }],
    },
    {
      name: 'int4-weights',
      title: 'Smallest matrix weights (4-bit)',
      description:
        'Stores the weights of matrix multiplications in 4 bits, block by block. For models made mostly of matrix multiplications.',
      steps: [...graphSteps, { pass: 'quantize-int4-weights', options: {} }],
    },
    {
      name: 'int4-qat',
      title: 'Smallest matrix weights (4-bit), trained to keep accuracy',
      description:
        'Matrix weights in 4 bits like int4-weights, after fine-tuning the model on your data (--data) with 4-bit weights in place. Labels are optional: without them the float model teaches.',
      steps: [...graphSteps, { pass: 'quantize-int4-qat', options: {} }],
    },
    {
      name: 'mixed',
      title: 'int8 with sensitive layers kept in float',
      description:
        'Quantizes to int8, then keeps the layers that lose the most in float until the result agrees with the original on at least 99 % of your samples.',
      steps: [...opset13, { pass: 'quantize-mixed', options: {} }],
    },
  ];
}
