import { DeviceProfile } from '../../../contract';

const MB = 1024 * 1024;

/** A device profile as the form edits it: text fields, memory in megabytes, sources one per line. */
export interface ProfileDraft {
  id: string;
  name: string;
  cores: string;
  clockGHz: string;
  simd: string;
  simdWidthBits: string;
  int8DotProduct: boolean;
  fp32MacsPerCycle: string;
  int8MacsPerCycle: string;
  memoryBandwidthGBps: string;
  ramMB: string;
  reservedRamMB: string;
  storageKind: 'flash' | 'disk';
  storageMB: string;
  sources: string;
  notes: string;
}

/** A draft from an existing profile (to edit it, or to start a new one from its figures). */
export function draftFrom(profile: DeviceProfile, copy: boolean): ProfileDraft {
  return {
    id: copy ? '' : profile.id,
    name: copy ? '' : profile.name,
    cores: String(profile.cores),
    clockGHz: String(profile.clockGHz),
    simd: profile.simd,
    simdWidthBits: String(profile.simdWidthBits),
    int8DotProduct: profile.int8DotProduct,
    fp32MacsPerCycle: String(profile.fp32MacsPerCycle),
    int8MacsPerCycle: String(profile.int8MacsPerCycle),
    memoryBandwidthGBps: String(profile.memoryBandwidthGBps),
    ramMB: String(Math.round(profile.ramBytes / MB)),
    reservedRamMB: String(Math.round(profile.reservedRamBytes / MB)),
    storageKind: profile.storageKind,
    storageMB: String(Math.round(profile.storageBytes / MB)),
    sources: copy ? '' : profile.sources.join('\n'),
    notes: copy ? '' : (profile.notes ?? ''),
  };
}

/** Field name → the first problem with it, in plain words. */
export type DraftErrors = Partial<Record<keyof ProfileDraft, string>>;

const num = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/** Checks a draft with the contract's schema; the profile when valid, else the problems by field. */
export function checkDraft(draft: ProfileDraft): { profile: DeviceProfile } | { errors: DraftErrors } {
  const candidate = {
    id: draft.id.trim(),
    name: draft.name.trim(),
    kind: 'user',
    cores: num(draft.cores),
    clockGHz: num(draft.clockGHz),
    simd: draft.simd.trim(),
    simdWidthBits: num(draft.simdWidthBits),
    int8DotProduct: draft.int8DotProduct,
    fp32MacsPerCycle: num(draft.fp32MacsPerCycle),
    int8MacsPerCycle: num(draft.int8MacsPerCycle),
    memoryBandwidthGBps: num(draft.memoryBandwidthGBps),
    ramBytes: Math.round(num(draft.ramMB) * MB),
    reservedRamBytes: Math.round(num(draft.reservedRamMB || '0') * MB),
    storageKind: draft.storageKind,
    storageBytes: Math.round(num(draft.storageMB) * MB),
    sources: draft.sources
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
    ...(draft.notes.trim() ? { notes: draft.notes.trim() } : {}),
  };
  const parsed = DeviceProfile.safeParse(candidate);
  if (parsed.success) {
    if (parsed.data.id === 'this-machine') return { errors: { id: 'This id is reserved for the detected computer.' } };
    return { profile: parsed.data };
  }
  const FIELD: Record<string, keyof ProfileDraft> = { ramBytes: 'ramMB', reservedRamBytes: 'reservedRamMB', storageBytes: 'storageMB' };
  const errors: DraftErrors = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? 'name');
    const field = FIELD[key] ?? (key as keyof ProfileDraft);
    errors[field] ??= issue.code === 'invalid_type' ? 'Enter a number.' : issue.message;
  }
  return { errors };
}
