import { ProgressMessage, ReplyMessage } from '../../../contract';

/** A validated message from the host, or null when it is not one we understand. */
export type ParsedServerMessage = ProgressMessage | ReplyMessage | null;

/** Parses and validates one WebSocket text frame from the host. */
export function parseServerMessage(text: string): ParsedServerMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? raw.type : undefined;
  const schema = type === 'progress' ? ProgressMessage : type === 'reply' ? ReplyMessage : null;
  const parsed = schema?.safeParse(raw);
  return parsed?.success ? parsed.data : null;
}
