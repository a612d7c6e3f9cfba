/** A problem+json error from the API, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, readonly problem: Record<string, unknown> = {}) {
    super(code);
  }
}

/** JSON over fetch with the session cookie; throws ApiError for every non-2xx answer. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      // Marks the call as our page's own (the server refuses cookie-authenticated writes without it: CSRF).
      headers: body === undefined ? { 'X-Requested-With': 'fetch' } : { 'X-Requested-With': 'fetch', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network');
  }
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, String(data.code ?? 'other'), data);
  return data as T;
}
