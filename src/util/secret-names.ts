/** Key names whose values are credentials: what a spec may not hold literally and a URL may not carry. */
const SECRET_KEY_NAMES = new Set([
  'apikey',
  'key',
  'secret',
  'secretkey',
  'token',
  'accesstoken',
  'authtoken',
  'bearer',
  'bearertoken',
  'authorization',
  'password',
]);

/** `api_key`, `apiKey`, `API-KEY`, `key`, `token`, ... */
export function isSecretKeyName(name: string): boolean {
  return SECRET_KEY_NAMES.has(name.toLowerCase().replace(/[-_]/g, ''));
}
