import { z } from 'zod';
import { FilePath } from './schemas';

/** Identifier of a device profile: lowercase letters, digits and dashes. */
export const DeviceId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'Use lowercase letters, digits and dashes.');

/** Hardware figures of a target device, with where they come from. */
export const DeviceProfile = z.object({
  id: DeviceId,
  name: z.string().min(1).max(120),
  /** `detected`: this machine; `builtin`: shipped with Lithe; `user`: saved by the user. */
  kind: z.enum(['detected', 'builtin', 'user']).default('user'),
  /** CPU cores the model may use. */
  cores: z.number().int().min(1).max(1024),
  clockGHz: z.number().positive().max(10),
  /** SIMD extension, e.g. `NEON`, `AVX2`, `Helium`, `none`. */
  simd: z.string().min(1).max(40),
  simdWidthBits: z.number().int().min(0).max(2048),
  /** Hardware int8 dot-product instructions (Arm SDOT/UDOT, x86 VNNI). */
  int8DotProduct: z.boolean(),
  /**
   * Hardware float16 arithmetic (Armv8.2-A FP16, x86 AVX512-FP16): runtimes can compute a float16
   * model in float16. Without it (absent = without), float16 weights and activations are widened
   * to float32 when the model runs.
   */
  fp16Arithmetic: z.boolean().optional(),
  /** Peak fp32 multiply-accumulates per cycle per core. */
  fp32MacsPerCycle: z.number().positive().max(1024),
  /** Peak int8 multiply-accumulates per cycle per core. */
  int8MacsPerCycle: z.number().positive().max(4096),
  memoryBandwidthGBps: z.number().positive().max(10_000),
  ramBytes: z.number().int().positive(),
  /** Where the model is stored: flash on a microcontroller, else disk/SD/UFS. */
  storageKind: z.enum(['flash', 'disk']),
  storageBytes: z.number().int().positive(),
  /** Runtime and OS memory the model cannot use, bytes. */
  reservedRamBytes: z.number().int().nonnegative().default(0),
  /** Where the figures come from (data sheet and document names). */
  sources: z.array(z.string().max(300)).max(20).default([]),
  notes: z.string().max(2000).optional(),
});
export type DeviceProfile = z.infer<typeof DeviceProfile>;

/** Result of `devices.list`. */
export const DeviceList = z.object({
  profiles: z.array(DeviceProfile),
  /** Folder the user profiles are read from and saved to. */
  userFolder: z.string(),
  /** User profile files that could not be read, with the reason. */
  problems: z.array(z.object({ file: z.string(), message: z.string() })),
});
export type DeviceList = z.infer<typeof DeviceList>;

/** Arguments of `devices.estimate`. */
export const DeviceEstimateArgs = z
  .object({
    model: FilePath,
    /** Profiles to estimate for; all when omitted. */
    deviceIds: z.array(DeviceId).max(64).optional(),
    /** ONNX models: sizes of dynamic dimensions (TFLite shapes are fixed). */
    dims: z
      .record(
        z.string().max(128),
        z
          .number()
          .int()
          .min(1)
          .max(1 << 20),
      )
      .default({}),
    /** Inputs filled with one constant, by input name. */
    values: z.record(z.string().max(128), z.number()).default({}),
  })
  .strict();
export type DeviceEstimateArgs = z.infer<typeof DeviceEstimateArgs>;

/** The estimate for one device. */
export const DeviceEstimate = z.object({
  deviceId: z.string(),
  deviceName: z.string(),
  /** Estimated latency range for one inference, ms. */
  latencyMs: z.object({ low: z.number(), expected: z.number(), high: z.number() }),
  /** Threads the estimate assumes (the device's cores, at most 4). */
  threads: z.number().int(),
  /** Share of the modelled time bound by memory traffic rather than arithmetic, in [0, 1]. */
  memoryBoundShare: z.number().min(0).max(1),
  ramNeededBytes: z.number().int().nonnegative(),
  storageNeededBytes: z.number().int().nonnegative(),
  fitsRam: z.boolean(),
  fitsStorage: z.boolean(),
  /** "does not fit" reasons and other caveats, one sentence each. */
  notes: z.array(z.string()),
});
export type DeviceEstimate = z.infer<typeof DeviceEstimate>;

/** Result of `devices.estimate`. */
export const DeviceEstimateResult = z.object({
  model: z.string(),
  modelBytes: z.number().int().nonnegative(),
  /** Multiply-accumulates per inference (Conv, MatMul, Gemm and friends). */
  macs: z.number().nonnegative(),
  /** Bytes read and written by operators per inference. */
  bytesMoved: z.number().nonnegative(),
  weightBytes: z.number().int().nonnegative(),
  peakActivationBytes: z.number().int().nonnegative(),
  /** How this machine's measurement calibrates the model. */
  calibration: z.object({
    deviceId: z.string(),
    /** Runtime the model was measured in here (`onnxruntime`, or `tflite` for the WebAssembly TFLite runtime). */
    runtime: z.string(),
    /** False when the model could not run here: a default efficiency was used instead of a measurement. */
    calibrated: z.boolean(),
    measuredMs: z.number(),
    modelledMs: z.number(),
    /** measured / modelled: how far real kernels are from peak on this machine. */
    efficiency: z.number(),
    threads: z.number().int(),
  }),
  estimates: z.array(DeviceEstimate),
  assumptions: z.array(z.string()),
});
export type DeviceEstimateResult = z.infer<typeof DeviceEstimateResult>;

/** Arguments of `devices.save`: a user profile (replaces one with the same id). */
export const DeviceSaveArgs = z.object({ profile: DeviceProfile }).strict();
export type DeviceSaveArgs = z.infer<typeof DeviceSaveArgs>;
