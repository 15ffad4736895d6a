export * from './create-params.ts';
export * from './error-envelope.ts';
export * from './message.ts';
export * from './message-batch.ts';
export { openEnum, TimestampSchema } from './open-enum.ts';
export * from './result-line.ts';
