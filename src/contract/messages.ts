import { z } from 'zod';
import { ErrorInfo } from './errors';
import { Progress } from './schemas';

/** Request from a UI to a host: run `command` with `args`; `id` correlates replies. */
export const RequestMessage = z.object({
  type: z.literal('request'),
  id: z.string().min(1).max(64),
  command: z.string().max(64),
  args: z.unknown(),
});
export type RequestMessage = z.infer<typeof RequestMessage>;

/** Asks the host to cancel the request with this id. */
export const CancelMessage = z.object({ type: z.literal('cancel'), id: z.string().min(1).max(64) });
export type CancelMessage = z.infer<typeof CancelMessage>;

/** Anything a UI may send to a host. */
export const ClientMessage = z.discriminatedUnion('type', [RequestMessage, CancelMessage]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** Progress of a running request. */
export const ProgressMessage = z.object({ type: z.literal('progress'), id: z.string(), progress: Progress });
export type ProgressMessage = z.infer<typeof ProgressMessage>;

/** Final reply to a request: a result or an error. */
export const ReplyMessage = z.union([
  z.object({ type: z.literal('reply'), id: z.string(), ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('reply'), id: z.string(), ok: z.literal(false), error: ErrorInfo }),
]);
export type ReplyMessage = z.infer<typeof ReplyMessage>;

/** Anything a host may send to a UI. */
export type ServerMessage = ProgressMessage | ReplyMessage;
