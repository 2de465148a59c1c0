import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MAX_UPLOAD_BYTES, uploadTooLarge, type FileUpload } from '../contract';

const MODEL_EXTENSION = /\.(onnx|tflite|lithe)$/i;

/** Settings of {@link receiveUpload}. */
export interface UploadOptions {
  /** Lithe's workspace, where uploads go. */
  workspace: string;
  /** True when the request carries this launch's page token (the cookie alone does not upload). */
  authorized: boolean;
  /** Largest body accepted, in bytes (default {@link MAX_UPLOAD_BYTES}). */
  maxBytes?: number;
}

/**
 * `POST /files/upload?name=model.onnx` with the file as the body: saves a model dropped on the page into
 * the workspace. The bytes go to a hidden temporary file first, which is renamed to a free name
 * (`model.onnx`, `model (2).onnx`, …) once complete: an existing file is never overwritten, and an
 * upload cut short leaves nothing behind. A refusal keeps the connection open and the rest of the body
 * is read and dropped (the server's request timeout bounds how long), so the client reads the answer
 * instead of meeting a reset; a body over the cap without a declared size is refused as soon as it
 * passes the cap.
 */
export async function receiveUpload(request: IncomingMessage, url: URL, response: ServerResponse, options: UploadOptions): Promise<void> {
  const maxBytes = options.maxBytes ?? MAX_UPLOAD_BYTES;
  // No `connection: close`: Node would then destroy the socket while the client still sends, and the
  // client would meet a reset instead of this answer. The rest of the body is read and dropped.
  const answer = (status: number, text: string): void => {
    if (response.headersSent || response.destroyed) return;
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
  };
  const refuse = (status: number, text: string): void => {
    request.resume();
    answer(status, text);
  };
  if (!options.authorized)
    return refuse(401, 'Lithe: an upload needs this page’s access token; reload the page from the address Lithe printed.');
  if (request.method !== 'POST') return refuse(405, 'Lithe: send the file with POST.');
  const name = uploadName(url.searchParams.get('name') ?? '');
  const tooLarge = `Lithe: ${uploadTooLarge(name, maxBytes)}`;
  if (!name) return refuse(400, 'Lithe: name the file (?name=model.onnx).');
  if (!MODEL_EXTENSION.test(name))
    return refuse(415, `Lithe: ${name} is not a model file; drop an .onnx or .tflite file (or a .lithe package).`);
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (declared > maxBytes) return refuse(413, tooLarge);

  await mkdir(options.workspace, { recursive: true });
  const temp = join(options.workspace, `.upload-${randomBytes(6).toString('hex')}.partial`);
  let received = 0;
  let overCap = false;
  try {
    await pipeline(
      request,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          received += chunk.length;
          if (received > maxBytes && !overCap) {
            overCap = true;
            answer(413, tooLarge); // now; what still arrives is read and dropped (leaving the loop would reset the socket)
            // Once answered, Node no longer ends this request when the client hangs up: end it here.
            request.socket.once('close', () => request.destroy());
          }
          if (!overCap) yield chunk;
        }
      },
      createWriteStream(temp, { flags: 'wx' }),
    );
  } catch {
    await unlink(temp).catch(() => undefined);
    refuse(400, `Lithe: the upload of ${name} did not arrive complete.`);
    return;
  }
  if (overCap) {
    await unlink(temp).catch(() => undefined);
    return;
  }
  try {
    const path = await moveToFreeName(temp, options.workspace, name);
    const result: FileUpload = { path, name: basename(path), sizeBytes: received };
    response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(result));
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    refuse(500, `Lithe could not save ${name} in ${options.workspace}: ${(error as Error).message}`);
  }
}

/** The file name to save an upload under: the last part of what the page sent, without control characters or leading dots. */
export function uploadName(raw: string): string {
  const last = raw.split(/[\\/]/).at(-1) ?? '';
  return (
    last
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed here
      .replace(/[\u0000-\u001f\u007f]/g, '')
      .replace(/^[.\s]+/, '')
      .trim()
      .slice(0, 200)
  );
}

/** Renames `temp` to `name` in `folder`, or `stem (2).ext`, `stem (3).ext`…: the first name nobody uses. */
async function moveToFreeName(temp: string, folder: string, name: string): Promise<string> {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; n <= 1000; n++) {
    const candidate = join(folder, n === 1 ? name : `${stem} (${n})${ext}`);
    // Creating the name exclusively claims it; the rename then replaces only our own empty placeholder.
    const claimed = await open(candidate, 'wx').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return null;
      throw error;
    });
    if (!claimed) continue;
    await claimed.close();
    await rename(temp, candidate);
    return candidate;
  }
  throw new Error(`a thousand files named like ${name} are there already`);
}
