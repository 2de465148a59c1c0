export * from './schemas';
export * from './commands';
export * from './bench';
export * from './devices';
export * from './messages';
export * from './api';
export * from './optimize';
