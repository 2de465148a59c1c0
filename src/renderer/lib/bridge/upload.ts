import { CommandError, FileUpload, UPLOAD_ROUTE } from '../../../contract';
import { uploadRefusal } from '../files/upload-cap';

/**
 * Sends `file` to the web host, which saves it in Lithe's workspace (see `src/server/upload.ts`). The page
 * token goes in a header, never in the address; the host answers with where it saved the file. A file
 * over the host's cap is refused here, before a byte is sent.
 */
export function uploadFile(
  token: string | null,
  file: File,
  onProgress?: (sentBytes: number, totalBytes: number) => void,
  signal?: AbortSignal,
): Promise<FileUpload> {
  const refusal = uploadRefusal(file);
  if (refusal) return Promise.reject(refusal);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const fail = (message: string, code = 'unreadable'): void => reject(new CommandError({ code, message, file: file.name }));
    xhr.open('POST', `${UPLOAD_ROUTE}?name=${encodeURIComponent(file.name)}`);
    if (token !== null) xhr.setRequestHeader('x-lithe-token', token);
    xhr.upload.onprogress = (event) => onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onerror = () => fail(`Lithe did not receive ${file.name}: the connection broke off.`, 'disconnected');
    xhr.onabort = () => fail('Cancelled.', 'cancelled');
    xhr.onload = () => {
      if (xhr.status !== 201) return fail(xhr.responseText.trim().replace(/^Lithe: /, '') || `The upload failed (HTTP ${xhr.status}).`);
      try {
        resolve(FileUpload.parse(JSON.parse(xhr.responseText)));
      } catch {
        fail('Lithe sent an answer to the upload that this window does not understand.', 'internal');
      }
    };
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
