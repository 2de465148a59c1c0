const prefix = Math.random().toString(36).slice(2, 8);
let counter = 0;

/** A request id unique within this page. */
export function nextRequestId(): string {
  counter += 1;
  return `${prefix}-${counter}`;
}
