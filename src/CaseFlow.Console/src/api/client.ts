// The one HTTP client of the console: types generated from contracts/openapi.json (schema.d.ts, `npm run generate`),
// requests through openapi-fetch. No request or response type is written by hand.
import createClient, { type Middleware } from 'openapi-fetch'
import type { components, paths } from './schema'

export type Schemas = components['schemas']

/** RFC 9457 problem details as the host answers every refusal (README "Errors"). */
export interface Problem {
  status: number
  code?: string
  title?: string
  detail?: string
  errors?: Record<string, string[]>
}

/** A refusal the user reads: the problem's Chinese detail (never a stack, never a raw status alone). */
export class ProblemError extends Error {
  constructor(public readonly problem: Problem) {
    super(problemText(problem))
  }
}

export function problemText(p: Problem): string {
  const fields = p.errors ? Object.values(p.errors).flat().join('；') : ''
  if (p.detail) return fields && !p.detail.includes(fields) ? `${p.detail}（${fields}）` : p.detail
  if (fields) return fields
  if (p.status === 401) return '登录已失效，请重新登录。'
  if (p.status === 403) return '您无权进行此操作。'
  if (p.status === 404) return '未找到该记录。'
  return p.title ?? `请求未成功（${p.status}）。`
}

let token: string | null = null
let unauthorised: (() => void) | null = null
/** What to do when the host no longer accepts the token (401: expired or revoked): sign out, back to the login. */
export function onUnauthorised(handler: () => void) {
  unauthorised = handler
}
export function setToken(value: string | null) {
  token = value
}
export function authHeader(): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {}
}

const auth: Middleware = {
  onRequest({ request }) {
    if (token) request.headers.set('Authorization', `Bearer ${token}`)
    return request
  },
}

export const api = createClient<paths>({ baseUrl: '' })
api.use(auth)

async function readProblem(response: Response, body: unknown): Promise<Problem> {
  if (body && typeof body === 'object') return { status: response.status, ...(body as object) } as Problem
  return { status: response.status }
}

/** The data of a successful answer, or a ProblemError carrying the problem's detail. */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call
  if (response.status === 401 && token) unauthorised?.()
  if (!response.ok) throw new ProblemError(await readProblem(response, error))
  return data as T
}

/** A download that needs the bearer token (CSV, print views): fetched with progress, handed to the browser. */
export async function fetchWithProgress(url: string, onProgress?: (received: number, total: number | null) => void): Promise<Blob> {
  const response = await fetch(url, { headers: authHeader() })
  if (!response.ok) {
    let body: unknown = null
    try { body = await response.json() } catch { /* not JSON */ }
    throw new ProblemError(await readProblem(response, body))
  }
  const total = Number(response.headers.get('Content-Length')) || null
  const reader = response.body?.getReader()
  if (!reader) return await response.blob()
  const chunks: BlobPart[] = []
  let received = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value as BlobPart)
    received += value.length
    onProgress?.(received, total)
  }
  return new Blob(chunks, { type: response.headers.get('Content-Type') ?? 'application/octet-stream' })
}

export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** Opens a printable document (the host's A4 HTML) in its own tab: fetched with the token, shown from a blob. */
export async function openPrintView(href: string) {
  const blob = await fetchWithProgress(href)
  const url = URL.createObjectURL(new Blob([await blob.text()], { type: 'text/html;charset=utf-8' }))
  window.open(url, '_blank')
}
