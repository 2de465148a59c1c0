import type { DeviceProfile } from '../../contract/devices';

/** Short names people type for the built-in devices. */
const SHORT_NAMES: Record<string, string> = {
  rpi4: 'raspberry-pi-4',
  pi4: 'raspberry-pi-4',
  rpi5: 'raspberry-pi-5',
  pi5: 'raspberry-pi-5',
  jetson: 'jetson-orin-nano-cpu',
  m1: 'apple-m1',
  stm32h7: 'cortex-m7-stm32h7',
  here: 'this-machine',
};

const squash = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The profile a user means by `query`: its id exactly, a short name (`rpi4`, `stm32h7`), or the
 * one profile whose id or name contains it, ignoring case and punctuation (`stm32h743`, `orin`).
 * Undefined when none or several match.
 */
export function findDevice(profiles: readonly DeviceProfile[], query: string): DeviceProfile | undefined {
  const exact = profiles.find((profile) => profile.id === query);
  if (exact) return exact;
  const wanted = squash(query);
  const short = SHORT_NAMES[wanted];
  const named = short ? profiles.find((profile) => profile.id === short) : undefined;
  if (named) return named;
  if (wanted.length < 2) return undefined;
  const matches = profiles.filter((profile) => squash(profile.id).includes(wanted) || squash(profile.name).includes(wanted));
  return matches.length === 1 ? matches[0] : undefined;
}
