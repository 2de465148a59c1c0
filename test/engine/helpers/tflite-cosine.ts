import { createVerifier } from '../../../src/engine/verify/verifier';

/** The worst output cosine of TFLite `candidate` against TFLite `reference`, both run in the TFLite runtime. */
export async function tfliteCosine(reference: Uint8Array, candidate: Uint8Array): Promise<number | undefined> {
  const verifier = await createVerifier(reference, 'tflite');
  try {
    return (await verifier.verify(candidate, 'tflite')).worst.cosine;
  } finally {
    await verifier.dispose();
  }
}
