import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceList, DeviceProfile } from '../../../src/contract/devices';
import { BUILTIN_PROFILES } from '../../../src/engine/devices/builtin-profiles';
import { detectHostProfile, parseCpuInfo, simdFromFlags } from '../../../src/engine/devices/detect-host';
import { findDevice } from '../../../src/engine/devices/find-device';
import { listDevices } from '../../../src/engine/devices/list-devices';
import { readUserProfiles, saveUserProfile } from '../../../src/engine/devices/user-profiles';
import { LitheError } from '../../../src/engine/errors';
import { at } from '../../helpers/at';

const folder = mkdtempSync(join(tmpdir(), 'lithe-devices-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('device profiles', () => {
  it('ships the required targets, each valid and with sources', () => {
    const ids = BUILTIN_PROFILES.map((profile) => profile.id);
    expect(ids).toEqual([
      'raspberry-pi-4',
      'raspberry-pi-5',
      'jetson-orin-nano-cpu',
      'android-midrange-big-core',
      'x86-laptop-avx2',
      'apple-m1',
      'cortex-m7-stm32h7',
    ]);
    for (const profile of BUILTIN_PROFILES) {
      expect(DeviceProfile.parse(profile)).toEqual(profile);
      expect(profile.sources.length).toBeGreaterThan(0);
    }
    expect(BUILTIN_PROFILES.find((p) => p.id === 'cortex-m7-stm32h7')?.storageKind).toBe('flash');
  });

  it('detects this machine from cpuinfo flags', () => {
    const x86 = parseCpuInfo(
      'processor\t: 0\nmodel name\t: Test CPU @ 2.50GHz\ncpu MHz\t\t: 2500.000\nflags\t\t: fpu sse2 avx2 fma avx512f avx512_vnni\n',
    );
    expect(x86.mhz).toBe(2500);
    expect(simdFromFlags(x86.flags, 'x64')).toMatchObject({ simd: 'AVX-512', simdWidthBits: 512, int8DotProduct: true });
    expect(simdFromFlags(new Set(['sse2', 'avx2', 'fma']), 'x64')).toMatchObject({
      simd: 'AVX2',
      int8DotProduct: false,
      fp32MacsPerCycle: 16,
    });
    expect(simdFromFlags(parseCpuInfo('Features\t: fp asimd asimddp\n').flags, 'arm64')).toMatchObject({
      simd: 'NEON',
      int8DotProduct: true,
    });
    const host = DeviceProfile.parse(detectHostProfile());
    expect(host.kind).toBe('detected');
    expect(host.cores).toBeGreaterThan(0);
    expect(host.ramBytes).toBeGreaterThan(0);
  });

  it('saves user profiles, lists them after the built-ins, and reports invalid files', () => {
    const mine = {
      id: 'my-board',
      name: 'My board',
      cores: 2,
      clockGHz: 1.2,
      simd: 'NEON',
      simdWidthBits: 128,
      int8DotProduct: false,
      fp32MacsPerCycle: 8,
      int8MacsPerCycle: 16,
      memoryBandwidthGBps: 4,
      ramBytes: 512 * 1024 ** 2,
      storageKind: 'disk',
      storageBytes: 8 * 1024 ** 3,
    };
    const saved = saveUserProfile(folder, mine);
    expect(saved.kind).toBe('user');
    writeFileSync(join(folder, 'broken.json'), JSON.stringify({ id: 'Bad Id', cores: -1 }));
    writeFileSync(join(folder, 'not-json.json'), '{');
    const { profiles, problems } = readUserProfiles(folder);
    expect(profiles.map((p) => p.id)).toEqual(['my-board']);
    expect(problems.map((p) => p.file).sort()).toEqual([join(folder, 'broken.json'), join(folder, 'not-json.json')]);
    const list = DeviceList.parse(listDevices(folder));
    expect(at(list.profiles, 0).id).toBe('this-machine');
    expect(list.profiles.at(-1)?.id).toBe('my-board');
    expect(() => saveUserProfile(folder, { ...mine, cores: 0 })).toThrow(LitheError);
  });

  it('finds a device by id, short name, or a unique part of its id or name', () => {
    const { profiles } = listDevices(folder);
    expect(findDevice(profiles, 'raspberry-pi-4')?.id).toBe('raspberry-pi-4');
    expect(findDevice(profiles, 'rpi4')?.id).toBe('raspberry-pi-4');
    expect(findDevice(profiles, 'stm32h743')?.id).toBe('cortex-m7-stm32h7');
    expect(findDevice(profiles, 'orin')?.id).toBe('jetson-orin-nano-cpu');
    // "raspberry" names two devices, "nokia" none.
    expect(findDevice(profiles, 'raspberry')).toBeUndefined();
    expect(findDevice(profiles, 'nokia')).toBeUndefined();
  });
});
