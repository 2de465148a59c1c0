import type { DeviceProfile } from '../../contract/devices';

/**
 * The device runs float16 values as float32: it has no float16 arithmetic, or it is a
 * microcontroller (TFLite Micro has no float16 kernels, whatever the core). Its runtime then holds
 * a float32 copy of float16 weights in RAM (on a microcontroller they cannot be read from flash as
 * they are) and computes and moves activations as float32.
 */
export function widensFloat16(device: DeviceProfile): boolean {
  return device.storageKind === 'flash' || device.fp16Arithmetic !== true;
}
