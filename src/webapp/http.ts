/** Fetch helpers for the dashboard's API (same origin; the token, when needed, travels as a cookie). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly body: unknown) {
    super(message);
  }
}

async function parse<T>(r: Response): Promise<T> {
  const text = await r.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  if (!r.ok && r.status !== 422) {
    const msg = body && typeof body === 'object' && 'error' in body ? String((body as { error: unknown }).error) : `${r.status} ${r.statusText}`;
    throw new ApiError(r.status, msg, body);
  }
  return body as T;
}

export async function getJson<T>(path: string): Promise<T> {
  return parse<T>(await fetch(path, { credentials: 'same-origin' }));
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return parse<T>(await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
}

export async function getText(path: string): Promise<string> {
  const r = await fetch(path, { credentials: 'same-origin' });
  if (!r.ok) throw new ApiError(r.status, `${r.status} ${r.statusText}`, null);
  return r.text();
}

/** URL of a result file. */
export const fileUrl = (path: string): string => `api/file?path=${encodeURIComponent(path)}`;
export const reportUrl = (id: string): string => `api/report?id=${encodeURIComponent(id)}`;
