export * from './schemas';
export * from './commands';
export * from './messages';
export * from './api';
