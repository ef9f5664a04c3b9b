/**
 * Starts the four services on real stores (tests/e2e/stack.py), builds the app against their
 * URLs and serves it with `vite preview`; the returned function stops it all again.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { PREVIEW_ORIGIN, PREVIEW_PORT } from '../playwright.config'

const frontendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const repoRoot = path.resolve(frontendDir, '..')
const artifacts = path.join(frontendDir, 'e2e', 'artifacts')
const viteBin = path.join(frontendDir, 'node_modules', '.bin', 'vite')
const STACK_TIMEOUT_MS = 180_000

function python(): string {
  return process.env.E2E_PYTHON ?? path.join(repoRoot, '.venv', 'bin', 'python')
}

function tail(file: string, lines = 40): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)'
}

async function waitFor(what: string, ready: () => Promise<boolean> | boolean, timeoutMs: number, failed?: () => string | null) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const failure = failed?.()
    if (failure) throw new Error(failure)
    if (await ready()) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`${what} was not ready within ${timeoutMs / 1000}s`)
}

function stopped(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      resolve()
    }, timeoutMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

/** Fails when something already listens there: the tests would otherwise talk to it. */
function ensurePortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', () =>
      reject(new Error(`port ${port} is taken (another e2e run?): choose another with E2E_PREVIEW_PORT`)),
    )
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()))
  })
}

export default async function globalSetup() {
  await ensurePortFree(PREVIEW_PORT)
  mkdirSync(artifacts, { recursive: true })
  const work = mkdtempSync(path.join(tmpdir(), 'frontend-e2e-'))
  const stackFile = path.join(work, 'stack.json')
  const stackLog = path.join(artifacts, 'stack.log')
  const logFd = openSync(stackLog, 'w')
  const stack = spawn(python(), ['-m', 'tests.e2e.stack', '--out', stackFile, '--origin', PREVIEW_ORIGIN], {
    cwd: repoRoot,
    stdio: ['ignore', logFd, logFd],
  })
  closeSync(logFd)
  let preview: ChildProcess | undefined
  const teardown = async () => {
    preview?.kill('SIGTERM')
    stack.kill('SIGTERM')
    await Promise.all([preview ? stopped(preview, 5_000) : undefined, stopped(stack, 60_000)])
  }

  try {
    console.log('e2e: starting the services on real stores…')
    await waitFor('the service stack', () => existsSync(stackFile), STACK_TIMEOUT_MS, () =>
      stack.exitCode !== null ? `the service stack exited (${stack.exitCode}):\n${tail(stackLog)}` : null,
    )
    const urls = JSON.parse(readFileSync(stackFile, 'utf8'))
    process.env.E2E_STACK = JSON.stringify(urls)

    console.log('e2e: building the app against them (bundle sizes below)…')
    execFileSync(viteBin, ['build', '--outDir', 'dist-e2e', '--emptyOutDir'], {
      cwd: frontendDir,
      stdio: 'inherit',
      env: {
        ...process.env,
        VITE_USER_API_URL: urls.users,
        VITE_EVENT_API_URL: urls.events,
        VITE_BOOKING_API_URL: urls.bookings,
        VITE_NOTIFICATION_API_URL: urls.notifications,
      },
    })

    preview = spawn(viteBin, ['preview', '--outDir', 'dist-e2e', '--host', '127.0.0.1', '--port', String(PREVIEW_PORT), '--strictPort'], {
      cwd: frontendDir,
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    const previewProcess = preview
    await waitFor(
      'vite preview',
      async () => {
        try {
          return (await fetch(PREVIEW_ORIGIN)).ok
        } catch {
          return false
        }
      },
      30_000,
      () => (previewProcess.exitCode !== null ? `vite preview exited (${previewProcess.exitCode})` : null),
    )
  } catch (error) {
    await teardown()
    throw error
  }
  return teardown
}
