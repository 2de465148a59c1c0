import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DeviceProfile } from '../../contract/devices';
import { LitheError } from '../errors';

/** The folder of user device profiles: `$LITHE_DEVICES_DIR`, else `$XDG_CONFIG_HOME/lithe/devices` or `~/.config/lithe/devices`. */
export function defaultDevicesFolder(): string {
  if (process.env.LITHE_DEVICES_DIR) return process.env.LITHE_DEVICES_DIR;
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'lithe', 'devices');
}

/** User profiles found in `folder` (one JSON file each) and the files that are not valid profiles. */
export function readUserProfiles(folder: string): { profiles: DeviceProfile[]; problems: Array<{ file: string; message: string }> } {
  let names: string[];
  try {
    names = readdirSync(folder)
      .filter((name) => name.endsWith('.json'))
      .sort();
  } catch {
    return { profiles: [], problems: [] };
  }
  const profiles: DeviceProfile[] = [];
  const problems: Array<{ file: string; message: string }> = [];
  for (const name of names) {
    const file = join(folder, name);
    try {
      const parsed = DeviceProfile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (parsed.success) profiles.push({ ...parsed.data, kind: 'user' });
      else
        problems.push({
          file,
          message: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'profile'}: ${issue.message}`).join('; '),
        });
    } catch (error) {
      problems.push({ file, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { profiles, problems };
}

/** Validates and saves a user profile as `<id>.json` (written to a temporary name, then renamed). */
export function saveUserProfile(folder: string, input: unknown): DeviceProfile {
  const parsed = DeviceProfile.safeParse(input);
  if (!parsed.success) {
    throw new LitheError(
      'invalid-argument',
      `not a valid device profile: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'profile'}: ${issue.message}`).join('; ')}`,
    );
  }
  const profile: DeviceProfile = { ...parsed.data, kind: 'user' };
  if (profile.id === 'this-machine') throw new LitheError('invalid-argument', 'the id "this-machine" is reserved for the detected machine');
  const file = join(folder, `${profile.id}.json`);
  try {
    mkdirSync(folder, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(profile, null, 2)}\n`);
    renameSync(temporary, file);
  } catch (error) {
    throw new LitheError('write-failed', `could not save the profile: ${error instanceof Error ? error.message : String(error)}`, {
      file,
      cause: error,
    });
  }
  return profile;
}
