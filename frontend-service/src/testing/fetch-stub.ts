import { vi } from 'vitest'

export type Call = { method: string; url: URL; headers: Headers; body: unknown }
type Reply = Response | ((call: Call) => Response | Promise<Response>)
type Route = { method: string; path: string | RegExp; reply: Reply; times?: number }

/** A JSON (or problem+json, for 4xx/5xx) response. */
export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  const status = init.status ?? 200
  const type = status >= 400 ? 'application/problem+json' : 'application/json'
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type, ...init.headers } })
}

export function problem(status: number, fields: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return json({ type: 'about:blank', title: 'Problem', status, ...fields }, { status, headers })
}

/**
 * Replaces the global fetch for a unit test of the UI: routes match by method and path, the
 * first unused match answers, and every call is kept for assertions.
 */
export function stubFetch(...routes: Route[]) {
  const calls: Call[] = []
  const remaining = routes.map((route) => ({ ...route, left: route.times ?? Number.POSITIVE_INFINITY }))
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init)
    const text = await request.clone().text()
    const call: Call = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: text ? JSON.parse(text) : undefined,
    }
    calls.push(call)
    const route = remaining.find(
      (candidate) =>
        candidate.left > 0 &&
        candidate.method === call.method &&
        (typeof candidate.path === 'string' ? candidate.path === call.url.pathname : candidate.path.test(call.url.pathname)),
    )
    if (!route) throw new TypeError(`no stubbed answer for ${call.method} ${call.url.pathname}`)
    route.left -= 1
    return typeof route.reply === 'function' ? route.reply(call) : route.reply.clone()
  })
  vi.stubGlobal('fetch', fetchMock)
  return { calls, fetchMock }
}
