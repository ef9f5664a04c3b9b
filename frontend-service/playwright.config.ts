import { defineConfig, devices } from '@playwright/test'

/** Where the built app is served (`vite preview`) for the browser tests; the services allow it. */
export const PREVIEW_PORT = Number(process.env.E2E_PREVIEW_PORT ?? 4173)
export const PREVIEW_ORIGIN = `http://127.0.0.1:${PREVIEW_PORT}`

// Debian's Chromium (apt-get install chromium): Playwright's own browser download is not used.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export default defineConfig({
  testDir: './e2e',
  outputDir: './e2e/artifacts/test-results',
  globalSetup: './e2e/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list']],
  use: {
    baseURL: PREVIEW_ORIGIN,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    timezoneId: 'Europe/London',
    locale: 'en-GB',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
          ],
        },
      },
    },
  ],
})
