// A child process that will not end by itself: it ignores its channel closing and any message, as
// a child stuck in native work would. Only SIGKILL stops it (or, so that a failing test leaves
// nothing running for long, its own 30 s limit).
process.on('disconnect', () => undefined);
process.on('message', () => undefined);
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
setTimeout(() => process.exit(0), 30_000);
process.send?.('ready');
