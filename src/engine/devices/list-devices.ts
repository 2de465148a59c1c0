import type { DeviceList, DeviceProfile } from '../../contract/devices';
import { BUILTIN_PROFILES } from './builtin-profiles';
import { detectHostProfile } from './detect-host';
import { readUserProfiles } from './user-profiles';

/** This machine, the built-in targets, then the user's profiles (a user profile with a built-in id replaces it). */
export function listDevices(userFolder: string): DeviceList {
  const user = readUserProfiles(userFolder);
  const userIds = new Set(user.profiles.map((profile) => profile.id));
  const profiles: DeviceProfile[] = [
    detectHostProfile(),
    ...BUILTIN_PROFILES.filter((profile) => !userIds.has(profile.id)),
    ...user.profiles,
  ];
  return { profiles, userFolder, problems: user.problems };
}
