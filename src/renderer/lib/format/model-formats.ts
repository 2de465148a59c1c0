import type { ModelFormat } from '../../../contract';

/** How the UI names and explains a model format. */
export interface FormatInfo {
  label: string;
  fullName: string;
  explanation: string;
}

/** Plain-language descriptions of the formats Lithe recognises. */
export const MODEL_FORMATS: Record<ModelFormat, FormatInfo> = {
  onnx: {
    label: 'ONNX',
    fullName: 'Open Neural Network Exchange',
    explanation:
      'ONNX is an open, vendor-neutral file format for trained neural networks, exported by most training tools (PyTorch, ' +
      'TensorFlow, scikit-learn…) and run by many engines on PCs, phones and servers.',
  },
  tflite: {
    label: 'TFLite',
    fullName: 'TensorFlow Lite (LiteRT)',
    explanation:
      'TensorFlow Lite is Google’s compact model format for phones, microcontrollers and other small devices, designed to load quickly and run with little memory.',
  },
};
