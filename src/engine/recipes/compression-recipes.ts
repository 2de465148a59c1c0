import type { Recipe } from './recipe';

/** Compression recipes: the graph clean-up, then pruning and/or weight sharing; the result is also written as a .lithe package. */
export function compressionRecipes(graphSteps: Recipe['steps']): Recipe[] {
  return [
    {
      name: 'prune',
      title: 'Prune small weights (rates by sensitivity)',
      description:
        'Sets the least important weights to zero, as many per layer as that layer can lose while the results stay close (a sensitivity scan on your data, or on generated samples). ' +
        'The .lithe package stores the zeros compactly and TFLite files store them as sparse tensors; memory and speed stay the same with ONNX Runtime (use prune-structured for speed).',
      steps: [...graphSteps, { pass: 'prune-magnitude', options: { sparsity: 'auto' } }, { pass: 'tflite-sparse-weights', options: {} }],
      package: true,
    },
    {
      name: 'prune-structured',
      title: 'Remove channels (smaller and faster)',
      description:
        'Removes half of the filters of each convolution and of the neurons of each fully connected layer, the least important first (L1 norm), ' +
        'and everything that reads them, then trains 2 epochs on your data to win back accuracy. The model really has fewer weights and operations: ' +
        'a smaller file, less memory and less time. Layers joined by residual connections stay as they are. Needs labelled training data and an ONNX model.',
      steps: [...graphSteps, { pass: 'prune-channels', options: { ratio: 0.5, epochs: 2 } }],
      package: true,
    },
    {
      name: 'cluster',
      title: 'Share weight values (16 per layer)',
      description:
        'Replaces each layer’s weights by 16 shared values (k-means), so the .lithe package stores every weight as a 4-bit index. ' +
        'No data needed. The model file and memory stay the same size; check the accuracy the report measures.',
      steps: [...graphSteps, { pass: 'cluster-weights', options: { bits: 4 } }],
      package: true,
    },
    {
      name: 'deep-compression',
      title: 'Smallest package: prune, train, share values, train (Deep Compression)',
      description:
        'Prunes 95 % of the weights in four steps with training between them, shares 32 values per fully connected layer and 256 per convolution, ' +
        'trains again keeping zeros and shared values, and writes the .lithe package (often 30–50× smaller than the file). Needs labelled training data and an ONNX model.',
      steps: [
        ...graphSteps,
        { pass: 'prune-gradual', options: { sparsity: 0.95, steps: 4, epochsPerStep: 1 } },
        { pass: 'cluster-weights', options: { bits: 5, convBits: 8 } },
        { pass: 'fine-tune-compressed', options: { epochs: 2 } },
      ],
      package: true,
    },
  ];
}
