// Share links: the file's path and text in the URL's fragment (never sent to
// a server), deflated and base64url-encoded: #file=PATH&code=DATA.
async function pipe(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}
function to_base64url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 8192) binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
const from_base64url = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

export async function encode_share(path, text) {
  const packed = await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw'));
  return `#file=${encodeURIComponent(path)}&code=${to_base64url(packed)}`;
}

// {path, text}, or null when the fragment holds no (readable) scenario.
export async function decode_share(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const code = params.get('code');
  if (!code) return null;
  try {
    const text = new TextDecoder().decode(await pipe(from_base64url(code), new DecompressionStream('deflate-raw')));
    const path = params.get('file') || 'scenarios/shared.iron';
    // Only a plain relative path inside the playground's tree.
    const safe = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(path) && !path.split('/').includes('..');
    return { path: safe ? path : 'scenarios/shared.iron', text };
  } catch {
    return null;
  }
}
