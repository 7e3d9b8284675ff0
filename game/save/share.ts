/**
 * Solution share links: the solution JSON, deflated with the platform's own CompressionStream
 * ('deflate-raw', no library needed) and written as base64url in the URL fragment, so it never
 * reaches a server. Format: `#solution=1.<levelId>.<base64url>`.
 * Links are untrusted input: sizes are capped before and after inflating, and the content must be
 * a JSON object.
 */
import { HyperkataError } from '../../core/model/errors.js';
import { LEVEL_ID_PATTERN } from './format.js';
import type { JsonObject } from './format.js';

export const SHARE_PARAM = 'solution';
export const SHARE_LINK_VERSION = 1;
/** Longest fragment we read (browsers keep far longer URLs; solutions are small). */
export const MAX_SHARE_CHARS = 32_000;
/** Largest solution we inflate: stops a small link from expanding into a huge one. */
export const MAX_SHARED_BYTES = 256 * 1024;

export interface SharedSolution {
  readonly levelId: string;
  readonly name: string;
  readonly data: JsonObject;
}

export type ShareErrorKind = 'malformed' | 'too-large' | 'unsupported-version';

export class ShareLinkError extends HyperkataError {
  declare readonly kind: ShareErrorKind;

  constructor(kind: ShareErrorKind, message: string) {
    super(kind, message);
    this.name = 'ShareLinkError';
  }

  static override is(value: unknown): value is ShareLinkError {
    return value instanceof ShareLinkError;
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareLinkError('malformed', 'not base64url');
  const padded =
    text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(padded);
  } catch {
    throw new ShareLinkError('malformed', 'not base64url');
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function inflate(bytes: Uint8Array, limit: number): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw'))
    .getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        await reader.cancel();
        throw new ShareLinkError('too-large', `the solution is larger than ${limit} bytes`);
      }
      parts.push(value);
    }
  } catch (error) {
    if (ShareLinkError.is(error)) throw error;
    throw new ShareLinkError('malformed', 'the link is damaged (it does not inflate)');
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * The fragment value for a solution: `1.<levelId>.<base64url(deflate-raw(JSON))>`.
 *
 * @example
 * const link = `${location.origin}${location.pathname}#solution=${await encodeShare(shared)}`;
 */
export async function encodeShare(shared: SharedSolution): Promise<string> {
  if (!LEVEL_ID_PATTERN.test(shared.levelId)) {
    throw new ShareLinkError('malformed', `not a level id: ${shared.levelId}`);
  }
  const json = JSON.stringify({ name: shared.name, data: shared.data });
  const packed = await deflate(new TextEncoder().encode(json));
  return `${SHARE_LINK_VERSION}.${shared.levelId}.${toBase64Url(packed)}`;
}

/** The share value in a location hash (`#solution=…`), or undefined if there is none. */
export function shareValueFromHash(hash: string): string | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return params.get(SHARE_PARAM) ?? undefined;
}

/** Reads a share value. Throws {@link ShareLinkError} for anything that is not one. */
export async function decodeShare(value: string): Promise<SharedSolution> {
  if (value.length > MAX_SHARE_CHARS) throw new ShareLinkError('too-large', 'the link is too long');
  const parts = value.split('.');
  const version = parts[0];
  if (version !== String(SHARE_LINK_VERSION)) {
    throw new ShareLinkError('unsupported-version', `link format ${version} is not supported`);
  }
  if (parts.length !== 3) throw new ShareLinkError('malformed', 'the link is damaged');
  const [, levelId, payload] = parts as [string, string, string];
  if (!LEVEL_ID_PATTERN.test(levelId)) throw new ShareLinkError('malformed', 'the link is damaged');
  const json = new TextDecoder('utf-8', { fatal: false }).decode(
    await inflate(fromBase64Url(payload), MAX_SHARED_BYTES),
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new ShareLinkError('malformed', 'the solution is not valid JSON');
  }
  const record = parsed as { name?: unknown; data?: unknown } | null;
  if (
    typeof record !== 'object' ||
    record === null ||
    typeof record.name !== 'string' ||
    typeof record.data !== 'object' ||
    record.data === null ||
    Array.isArray(record.data)
  ) {
    throw new ShareLinkError('malformed', 'the link does not hold a solution');
  }
  return { levelId, name: record.name.slice(0, 120), data: record.data as JsonObject };
}
