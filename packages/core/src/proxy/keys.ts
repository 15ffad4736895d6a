// jose is loaded on first use (a JWK to import, a token to sign or verify), not when the
// proxy entry is imported: it is most of the entry's load time, and a program that imports
// the entry (or `@msgbatch/node`, which re-exports it) but has no token to handle yet
// should not pay for it.
import type { JWK } from 'jose';
import { InvalidArgumentError } from '../errors.ts';

/** An Ed25519 key: a WebCrypto `CryptoKey`, or the same key as a JWK (`kty: 'OKP', crv: 'Ed25519'`). */
export type Ed25519Key = CryptoKey | JWK;

/** The shared secret of HS256 tokens: at least 32 bytes, as text or bytes. */
export type TokenSecret = string | Uint8Array;

/** HS256 needs a key as long as its hash; shorter secrets are guessable offline from one token. */
const MIN_SECRET_BYTES = 32;

/** A resolved signing or verification key with the one algorithm it may be used with. */
export interface ResolvedKey {
  alg: 'HS256' | 'EdDSA';
  key: CryptoKey | Uint8Array;
}

/**
 * Picks the algorithm from the kind of key, never from a token: a secret means
 * HS256, an Ed25519 key means EdDSA. Exactly one of the two must be given.
 */
export async function resolveKey(
  argument: string,
  secret: TokenSecret | undefined,
  asymmetric: Ed25519Key | undefined,
  use: 'sign' | 'verify',
): Promise<ResolvedKey> {
  const bytes = checkKeyChoice(argument, secret, asymmetric, use);
  if (bytes) return { alg: 'HS256', key: bytes };
  const keyName = use === 'sign' ? 'privateKey' : 'publicKey';
  const key = isCryptoKey(asymmetric) ? asymmetric : await importEd25519JWK(argument, asymmetric!);
  const algorithm = (key.algorithm as { name?: string }).name;
  if (algorithm !== 'Ed25519' && algorithm !== 'EdDSA') {
    throw new InvalidArgumentError(
      `${argument}.${keyName}`,
      `must be an Ed25519 key, got ${algorithm}`,
    );
  }
  const expected = use === 'sign' ? 'private' : 'public';
  if (key.type !== expected) {
    throw new InvalidArgumentError(`${argument}.${keyName}`, `must be the ${expected} key`);
  }
  return { alg: 'EdDSA', key };
}

/**
 * The checks that need no crypto, so a misconfigured proxy fails when it is
 * created rather than on its first request. Returns the secret's bytes, if any.
 */
export function checkKeyChoice(
  argument: string,
  secret: TokenSecret | undefined,
  asymmetric: Ed25519Key | undefined,
  use: 'sign' | 'verify',
): Uint8Array | undefined {
  const keyName = use === 'sign' ? 'privateKey' : 'publicKey';
  if ((secret === undefined) === (asymmetric === undefined)) {
    throw new InvalidArgumentError(
      argument,
      `pass exactly one of secret (HS256) or ${keyName} (EdDSA)`,
    );
  }
  if (secret === undefined) return undefined;
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (!(bytes instanceof Uint8Array) || bytes.byteLength < MIN_SECRET_BYTES) {
    throw new InvalidArgumentError(
      `${argument}.secret`,
      `must be at least ${MIN_SECRET_BYTES} bytes; generate one with crypto.getRandomValues(new Uint8Array(32))`,
    );
  }
  return bytes;
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;
}

async function importEd25519JWK(argument: string, jwk: JWK): Promise<CryptoKey> {
  if (jwk?.kty !== 'OKP' || jwk.crv !== 'Ed25519') {
    throw new InvalidArgumentError(
      argument,
      'an asymmetric key must be Ed25519 (JWK kty OKP, crv Ed25519)',
    );
  }
  const { importJWK } = await import('jose');
  return (await importJWK(jwk, 'EdDSA')) as CryptoKey;
}
