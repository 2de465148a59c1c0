/** The TFLite file identifier, stored at bytes 4..8 of every .tflite flatbuffer. */
export const TFLITE_IDENTIFIER = 'TFL3';

/** True when the bytes look like a TFLite model (identifier `TFL3` at bytes 4..8). */
export function sniffTflite(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[4] === 0x54 && bytes[5] === 0x46 && bytes[6] === 0x4c && bytes[7] === 0x33;
}
