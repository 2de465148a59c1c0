import type { DeviceProfile } from '../../contract/devices';

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

/**
 * RAM needed = weights (not on a microcontroller, where they are read from flash) + the largest
 * activation footprint + the runtime; storage needed = the model file + the runtime.
 */
export function checkFit(
  device: DeviceProfile,
  model: { bytes: number; weightBytes: number; peakActivationBytes: number; float: boolean },
): FitCheck {
  const runtime = runtimeFootprint(device);
  const onFlash = device.storageKind === 'flash';
  const ramNeededBytes = (onFlash ? 0 : model.weightBytes) + model.peakActivationBytes + runtime.ramBytes;
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
  if (onFlash && model.float) notes.push(FLOAT_ON_MICROCONTROLLER);
  return { ramNeededBytes, storageNeededBytes, fitsRam, fitsStorage, notes };
}
