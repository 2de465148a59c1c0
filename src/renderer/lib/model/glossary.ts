/** Short plain-language explanations of the terms the model page uses. */
export const GLOSSARY = {
  parameters:
    'Parameters are the numbers the model learned during training (its weights). More parameters usually means a bigger file and more work per prediction.',
  operator:
    'An operator is one kind of calculation the model performs, such as a convolution (Conv) or an addition (Add). The model is a chain of these steps.',
  node: 'A node is one step of the model: one operator applied to some inputs, producing outputs for the next steps.',
  macs: 'A MAC (multiply-accumulate) is one multiplication plus one addition. Counting them estimates how much arithmetic one prediction takes; fewer MACs usually means faster.',
  weights:
    'How much of the file the learned numbers take, by number type. float32 uses 4 bytes per number; float16 uses 2 and int8 uses 1 — that is what quantization saves.',
  opset:
    'The version of the operator definitions the model was written against. Newer runtimes read older opsets; very old ones may need updating.',
  tensor: 'A tensor is a block of numbers with a shape, such as an image of 1 × 3 × 224 × 224 values.',
  shape:
    'The size of each dimension of a tensor. Names such as “N” or “batch” are dimensions chosen when the model runs (for example how many images at once).',
} as const;
