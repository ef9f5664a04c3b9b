/** Helpers for the browser tests: the running services, test data through their APIs, checks. */
import { appendFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'

export type Stack = {
  users: string
  events: string
  bookings: string
  notifications: string
  admin: { email: string; password: string }
  mail_dir: string
  /** How long an access token lives in this stack (seconds): a few, so sessions renew often. */
  access_token_seconds: number
}

export const artifactsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts')
export const PASSWORD = 'a long enough password'

export function stack(): Stack {
  const raw = process.env.E2E_STACK
  if (!raw) throw new Error('E2E_STACK is not set: run the tests through playwright.config.ts (global setup)')
  return JSON.parse(raw) as Stack
}

let counter = 0
/** A name no other test (or earlier run) uses. */
export function unique(prefix: string): string {
  counter += 1
  return `${prefix}${Date.now().toString(36)}${counter}`
}

async function call<T>(method: string, url: string, { token, body }: { token?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

export async function login(email: string, password: string): Promise<string> {
  const { access_token } = await call<{ access_token: string }>('POST', `${stack().users}/login`, {
    body: { email, password },
  })
  return access_token
}

export function adminToken(): Promise<string> {
  return login(stack().admin.email, stack().admin.password)
}

export type ApiUser = { id: string; email: string }

export async function registerUser(name: string): Promise<ApiUser & { password: string }> {
  const email = `${unique(name)}@example.com`.toLowerCase()
  const user = await call<ApiUser>('POST', `${stack().users}/register`, {
    body: { email, password: PASSWORD, full_name: name },
  })
  return { ...user, password: PASSWORD }
}

/** Change a person's role as the admin would (through the API). */
export async function setRole(userId: string, role: 'user' | 'organizer' | 'admin'): Promise<void> {
  await call('PATCH', `${stack().users}/users/${userId}/role`, { token: await adminToken(), body: { role } })
}

export type ApiEvent = {
  id: string
  title: string
  starts_at: string
  available_tickets: number
  total_tickets: number
  timezone: string
}

/** An event, created by the admin; starts in `days` days unless `starts_at` is given. */
export async function createEvent(fields: Record<string, unknown> & { title: string }, days = 30): Promise<ApiEvent> {
  const token = await adminToken()
  return call<ApiEvent>('POST', `${stack().events}/events`, {
    token,
    body: {
      venue: 'Town Hall',
      city: 'Springfield',
      category: 'concert',
      total_tickets: 50,
      price: '25.00',
      currency: 'EUR',
      starts_at: new Date(Date.now() + days * 86_400_000).toISOString(),
      ...fields,
    },
  })
}

export function readEvent(eventId: string): Promise<ApiEvent> {
  return call<ApiEvent>('GET', `${stack().events}/events/${eventId}`)
}

export async function bookAs(token: string, eventId: string, tickets: number): Promise<{ id: string }> {
  return call<{ id: string }>('POST', `${stack().bookings}/bookings`, { token, body: { event_id: eventId, tickets } })
}

/** The header's navigation (desktop width). */
export function mainNav(page: Page) {
  return page.getByRole('navigation', { name: 'Main', exact: true })
}

/** Log in through the form. */
export async function logInThroughForm(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
}

function record(file: string, line: unknown) {
  mkdirSync(artifactsDir, { recursive: true })
  appendFileSync(path.join(artifactsDir, file), `${JSON.stringify(line)}\n`)
}

/** axe on the page as it is: no serious or critical violations (all findings are logged). */
export async function expectAccessible(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze()
  const findings = results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    nodes: violation.nodes.length,
    targets: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')),
  }))
  record('axe.jsonl', { page: name, url: page.url(), passes: results.passes.length, violations: findings })
  console.log(
    `axe ${name}: ${results.passes.length} rules passed, violations: ${
      findings.length ? findings.map((f) => `${f.id} (${f.impact}, ${f.nodes})`).join(', ') : 'none'
    }`,
  )
  const blocking = findings.filter((finding) => finding.impact === 'serious' || finding.impact === 'critical')
  expect(blocking, `serious or critical axe violations on ${name}`).toEqual([])
}

/** Full-page screenshots at desktop width and at a 390-px phone width, where nothing may stick out sideways. */
export async function screenshots(page: Page, name: string) {
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 }
  await page.screenshot({ path: path.join(artifactsDir, 'screenshots', `${name}-desktop.png`), fullPage: true })
  await page.setViewportSize({ width: 390, height: 844 })
  await page.waitForTimeout(100)
  await page.screenshot({ path: path.join(artifactsDir, 'screenshots', `${name}-phone.png`), fullPage: true })
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width, `${name} is wider than a 390-px phone`).toBeLessThanOrEqual(390)
  await page.setViewportSize(viewport)
}

export function recordMetric(name: string, value: unknown) {
  record('metrics.jsonl', { name, value })
}
