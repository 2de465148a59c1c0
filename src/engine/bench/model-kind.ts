import { closeSync, openSync, readSync } from 'node:fs';
import { sniffTflite } from '../formats/tflite/sniff';

/** True when the file starts like a TFLite flatbuffer (unreadable files are left to the runtime to report). */
export function isTfliteFile(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = new Uint8Array(8);
    const read = readSync(fd, head, 0, 8, 0);
    return sniffTflite(head.subarray(0, read));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
