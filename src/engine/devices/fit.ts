import type { DeviceProfile } from '../../contract/devices';
import { widensFloat16 } from './float16';

/** Memory and storage the runtime itself needs on a device class. */
export interface RuntimeFootprint {
  ramBytes: number;
  storageBytes: number;
  name: string;
}

/** TFLite Micro on a microcontroller (weights stay in flash); ONNX Runtime elsewhere. */
export function runtimeFootprint(device: DeviceProfile): RuntimeFootprint {
  return device.storageKind === 'flash'
    ? { ramBytes: 32 * 1024, storageBytes: 150 * 1024, name: 'TFLite Micro (about 150 KB of code, 32 KB of RAM besides the tensor arena)' }
    : {
        ramBytes: 30 * 1024 ** 2,
        storageBytes: 25 * 1024 ** 2,
        name: 'ONNX Runtime (about 25 MB of library, 30 MB of RAM besides the model)',
      };
}

/** The note of a float model on a microcontroller, whose runtime (TFLite Micro) runs integer models. */
export const FLOAT_ON_MICROCONTROLLER =
  'The model is float: microcontrollers need an int8 model (about 4× smaller weights, and int8 kernels).';

/** Whether a model fits a device's RAM and storage, with one sentence per problem. */
export interface FitCheck {
  ramNeededBytes: number;
  storageNeededBytes: number;
  fitsRam: boolean;
  fitsStorage: boolean;
  notes: string[];
}

const mb = (bytes: number): string => (bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** What {@link checkFit} needs to know of a model. */
export interface FitModel {
  bytes: number;
  weightBytes: number;
  /** Part of `weightBytes` stored as float16/bfloat16. */
  float16WeightBytes: number;
  peakActivationBytes: number;
  /** The peak with float16 activations counted as float32 (a device that widens them). */
  widenedPeakActivationBytes: number;
  float: boolean;
}

/**
 * RAM needed = weights (not on a microcontroller, where they are read from flash) + the largest
 * activation footprint + the runtime; storage needed = the model file + the runtime. On a device
 * that widens float16 to float32 ({@link widensFloat16}) float16 weights take twice their bytes in
 * RAM (on a microcontroller too: the float32 copy cannot stay in flash) and activations count as float32.
 */
export function checkFit(device: DeviceProfile, model: FitModel): FitCheck {
  const runtime = runtimeFootprint(device);
  const onFlash = device.storageKind === 'flash';
  const widen = widensFloat16(device);
  const half = model.float16WeightBytes;
  const otherWeights = onFlash ? 0 : Math.max(0, model.weightBytes - half);
  const halfWeights = widen ? 2 * half : onFlash ? 0 : half;
  const activations = widen ? model.widenedPeakActivationBytes : model.peakActivationBytes;
  const ramNeededBytes = otherWeights + halfWeights + activations + runtime.ramBytes;
  const storageNeededBytes = model.bytes + runtime.storageBytes;
  const freeRam = device.ramBytes - device.reservedRamBytes;
  const fitsRam = ramNeededBytes <= freeRam;
  const fitsStorage = storageNeededBytes <= device.storageBytes;
  const notes: string[] = [];
  if (!fitsRam) notes.push(`Does not fit in RAM: needs about ${mb(ramNeededBytes)}, ${mb(freeRam)} is free.`);
  if (!fitsStorage)
    notes.push(
      `Does not fit in ${onFlash ? 'flash' : 'storage'}: needs about ${mb(storageNeededBytes)}, the device has ${mb(device.storageBytes)}.`,
    );
  if (widen && (half > 0 || activations > model.peakActivationBytes))
    notes.push(
      `Float16 is widened to float32 here (${onFlash ? 'TFLite Micro has no float16 kernels' : 'no float16 arithmetic'}): ` +
        `${half > 0 ? `the ${mb(half)} of float16 weights take ${mb(2 * half)} of RAM${onFlash ? ' instead of staying in flash' : ''}, ` : ''}` +
        'activations are float32 and the arithmetic is float32, as for the float model.',
    );
  if (onFlash && model.float) notes.push(FLOAT_ON_MICROCONTROLLER);
  return { ramNeededBytes, storageNeededBytes, fitsRam, fitsStorage, notes };
}
