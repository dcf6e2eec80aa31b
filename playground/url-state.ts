/**
 * The program in the URL: `#<name>:<payload>` where the payload is the text, deflated
 * (CompressionStream 'deflate-raw') and base64url-encoded, so a link reproduces what was on screen.
 */

export interface UrlProgram {
  /** The example the program started from: its folder is where `load(...)` paths resolve. */
  readonly name: string;
  readonly text: string;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The hash (without '#') holding a program. */
export async function encodeProgram(p: UrlProgram): Promise<string> {
  const z = await pipe(new TextEncoder().encode(p.text), new CompressionStream('deflate-raw'));
  return `${encodeURIComponent(p.name)}:${toBase64url(z)}`;
}

/** The program in a hash (with or without '#'), or null when there is none or it is corrupt. */
export async function decodeProgram(hash: string): Promise<UrlProgram | null> {
  const h = hash.replace(/^#/, '');
  const colon = h.indexOf(':');
  if (colon < 0) return null;
  try {
    const text = new TextDecoder().decode(await pipe(fromBase64url(h.slice(colon + 1)), new DecompressionStream('deflate-raw')));
    return { name: decodeURIComponent(h.slice(0, colon)), text };
  } catch {
    return null;
  }
}
