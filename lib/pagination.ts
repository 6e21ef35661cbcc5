/** Opaque keyset cursor for URLs: base64url of "<iso time>|<uuid>". */
export function encodeCursor(cursor: { at: Date; id: string }): string {
  return Buffer.from(`${cursor.at.toISOString()}|${cursor.id}`).toString('base64url');
}

export function decodeCursor(value: string | undefined | null): { at: Date; id: string } | undefined {
  if (!value) return undefined;
  const text = Buffer.from(value, 'base64url').toString('utf8');
  const [iso, id] = text.split('|');
  const at = iso ? new Date(iso) : undefined;
  if (!at || Number.isNaN(at.getTime()) || !id || !/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return { at, id };
}
