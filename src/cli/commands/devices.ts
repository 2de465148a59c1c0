import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DeviceProfile, type DeviceEstimateResult } from '../../contract';
import { runCommand } from '../engine';
import { collectDim, collectValue } from '../flag-parsers';
import { formatBytes, printJson, usageError } from '../output';

function describeProfile(profile: DeviceProfile): string {
  return [
    `${profile.id.padEnd(28)} ${profile.name}  [${profile.kind}]`,
    `    ${profile.cores} × ${profile.clockGHz} GHz  ${profile.simd} ` +
      `${profile.simdWidthBits}-bit${profile.int8DotProduct ? ' + int8 dot product' : ''}  ${profile.memoryBandwidthGBps} GB/s  ` +
      `RAM ${formatBytes(profile.ramBytes)}  ${profile.storageKind} ${formatBytes(profile.storageBytes)}`,
  ].join('\n');
}

const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toFixed(3));

function describeEstimate(result: DeviceEstimateResult): string {
  const lines = [
    `${result.model}`,
    `  ${(result.macs / 1e6).toFixed(2)} M MACs, ${formatBytes(result.bytesMoved)} moved per inference, weights ` +
      `${formatBytes(result.weightBytes)}, peak activations ${formatBytes(result.peakActivationBytes)}`,
    result.calibration.calibrated
      ? `  measured here (${result.calibration.runtime}): ${ms(result.calibration.measuredMs)} ms (1 thread); modelled ` +
        `${ms(result.calibration.modelledMs)} ms → calibration ×${result.calibration.efficiency.toFixed(2)}`
      : `  could not run here (${result.calibration.runtime}); uncalibrated, default ×${result.calibration.efficiency.toFixed(2)} (see the assumptions)`,
    '',
  ];
  for (const estimate of result.estimates) {
    const fit = estimate.fitsRam && estimate.fitsStorage ? 'fits' : 'DOES NOT FIT';
    lines.push(
      `  ${estimate.deviceId.padEnd(28)} ${ms(estimate.latencyMs.low)}–${ms(estimate.latencyMs.high)} ms ` +
        `(≈${ms(estimate.latencyMs.expected)}, ${estimate.threads} thr)  ${fit}  RAM ${formatBytes(estimate.ramNeededBytes)}`,
    );
    for (const note of estimate.notes.filter((note) => !note.startsWith('Runtime assumed'))) lines.push(`      ${note}`);
  }
  lines.push('', 'Assumptions:', ...result.assumptions.map((line) => `  - ${line}`));
  return lines.join('\n');
}

/** `lithe devices`: device profiles; `devices estimate`: latency and fit of a model on them; `devices add`: save a profile. */
export function registerDevices(program: Command): void {
  const devices = program
    .command('devices')
    .description('Device profiles (this machine, built-in targets, your own) and estimates for a model on them.')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const list = await runCommand('devices.list', {});
      if (options.json) return printJson(list);
      for (const profile of list.profiles) console.log(describeProfile(profile));
      console.log(`\nYour profiles: ${list.userFolder} (one JSON file per device; \`lithe devices add <file>\`)`);
      for (const problem of list.problems) console.log(`  ignored ${problem.file}: ${problem.message}`);
    });
  devices
    .command('estimate')
    .description('Estimate a model’s latency and memory fit on device profiles, calibrated by measuring it on this machine.')
    .argument('<model>', 'ONNX or TFLite model file')
    .option('--device <ids>', 'comma-separated device ids (default: all)')
    .option('--dim <name=value>', 'size of a dynamic dimension; repeatable', collectDim, {})
    .option('--value <input=number>', 'fill an input with a constant; repeatable', collectValue, {})
    .option('--json', 'print JSON')
    .action(
      async (model: string, options: { device?: string; dim: Record<string, number>; value: Record<string, number>; json?: boolean }) => {
        const args = { model, deviceIds: options.device?.split(',').map((id) => id.trim()), dims: options.dim, values: options.value };
        const result = await runCommand('devices.estimate', args, { bar: 'estimate' });
        // `--json` after the subcommand may be taken by the parent command's own `--json`.
        if (options.json || devices.opts<{ json?: boolean }>().json) printJson(result);
        else console.log(describeEstimate(result));
      },
    );
  devices
    .command('add')
    .description('Save a device profile from a JSON file into your profiles folder.')
    .argument('<file>', 'JSON device profile')
    .action(async (file: string) => {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw usageError(`cannot read the profile: ${error instanceof Error ? error.message : String(error)}`, file);
      }
      const profile = DeviceProfile.safeParse(json);
      if (!profile.success)
        throw usageError(
          `not a valid device profile: ${profile.error.issues.map((i) => `${i.path.join('.') || 'profile'}: ${i.message}`).join('; ')}`,
          file,
        );
      const saved = await runCommand('devices.save', { profile: profile.data });
      const { userFolder } = await runCommand('devices.list', {});
      console.log(`saved ${saved.id} in ${userFolder}`);
    });
}
