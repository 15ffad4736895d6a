import { describe, expect, expectTypeOf, it } from 'vitest';
import * as entry from '../src/index.ts';
import Anthropic, { MsgbatchError } from '../src/index.ts';

// The official client carries every error class as a static property; code written
// against it (`catch (e) { if (e instanceof Anthropic.NotFoundError) … }`) must run as is.

const errorClasses = Object.entries(entry).filter(
  ([, value]) =>
    typeof value === 'function' &&
    (value === MsgbatchError || value.prototype instanceof MsgbatchError),
);

describe('error classes as statics of the client class', () => {
  it('finds the exported error classes', () => {
    expect(errorClasses.length).toBeGreaterThanOrEqual(50);
  });

  it('every exported error class is a static property under its exported name', () => {
    const missing = errorClasses
      .filter(([name, value]) => (Anthropic as any)[name] !== value)
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it('every static error class is exported by name', () => {
    const statics = Object.keys(entry.errorStatics);
    expect(statics.filter((name) => !(name in entry))).toEqual(['AnthropicError']);
    expect(Anthropic.AnthropicError).toBe(MsgbatchError);
    expect(Anthropic.MsgbatchError).toBe(MsgbatchError);
  });

  it('the statics are typed', () => {
    expectTypeOf(Anthropic.WaitTimeoutError).toEqualTypeOf<typeof entry.WaitTimeoutError>();
    expectTypeOf(Anthropic.JSONLDecodeError).toEqualTypeOf<typeof entry.JSONLDecodeError>();
    expectTypeOf(Anthropic.CreateOutcomeUnknownError).toEqualTypeOf<
      typeof entry.CreateOutcomeUnknownError
    >();
    expectTypeOf(new Anthropic({ apiKey: 'k' })).toEqualTypeOf<entry.Anthropic>();
  });
});
