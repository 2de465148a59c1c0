import { CommandError, MAX_UPLOAD_BYTES, uploadTooLarge } from '../../../contract';

/** The refusal of a file over the web host's upload cap, in the host's own words; undefined when it may be sent. */
export function uploadRefusal(file: { name: string; size: number }, maxBytes = MAX_UPLOAD_BYTES): CommandError | undefined {
  if (file.size <= maxBytes) return undefined;
  return new CommandError({ code: 'invalid-argument', message: uploadTooLarge(file.name, maxBytes), file: file.name });
}
