import { expect, type Page, test } from '@playwright/test'

import { logInThroughForm, registerUser, setRole, stack, unique } from './support'

type StoredTokens = { access: string | null; refresh: string | null }

function storedTokens(page: Page): Promise<StoredTokens> {
  return page.evaluate(() => ({
    access: localStorage.getItem('event-booking.access-token'),
    refresh: localStorage.getItem('event-booking.refresh-token'),
  }))
}

/** Seconds until the stored access token runs out. */
async function secondsLeft(page: Page): Promise<number> {
  const { access } = await storedTokens(page)
  const payload = JSON.parse(Buffer.from(access!.split('.')[1]!, 'base64url').toString()) as { exp: number }
  return payload.exp - Date.now() / 1000
}

async function refreshAnswer(refreshToken: string): Promise<number> {
  const response = await fetch(`${stack().users}/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refresh_token: refreshToken }),
  })
  return response.status
}

test('a session outlives its short access tokens, and logging out revokes it', async ({ page }) => {
  const person = await registerUser('Lasting')
  await page.goto('/login?next=/bookings')
  await logInThroughForm(page, person.email, person.password)
  await expect(page.getByRole('heading', { name: 'My bookings' })).toBeVisible()
  const first = await storedTokens(page)
  expect(first.refresh).toBeTruthy()

  await test.step('past the access token’s expiry, the app renews it instead of signing out', async () => {
    await page.waitForTimeout((Math.max(await secondsLeft(page), 0) + 1) * 1000)
    await page.getByRole('link', { name: 'Notifications', exact: true }).click()
    await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible()
    await expect(page.getByText('No notifications yet')).toBeVisible()
    await expect(page).toHaveURL(/\/notifications$/)
    const renewed = await storedTokens(page)
    expect(renewed.access).not.toBe(first.access)
    expect(renewed.refresh).not.toBe(first.refresh)
    expect(await secondsLeft(page)).toBeGreaterThan(0)
    // The first refresh token was used up by the renewal.
    await page.reload()
    await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible()
  })

  await test.step('logging out revokes the sign-in at user-service', async () => {
    const { refresh } = await storedTokens(page)
    await page.getByRole('button', { name: 'Log out' }).click()
    await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible()
    await expect.poll(() => refreshAnswer(refresh!)).toBe(401)
  })
})

test('an organizer demoted by an admin can no longer create an event', async ({ page, browser }) => {
  const person = await registerUser('Demoted')
  await setRole(person.id, 'organizer')
  const title = `${unique('Revoked')} Gala`
  const year = new Date().getFullYear() + 1

  await page.goto('/login?next=/organizer/events/new')
  await logInThroughForm(page, person.email, person.password)
  await expect(page.getByRole('heading', { name: 'New event' })).toBeVisible()

  await test.step('an admin demotes the organizer, in another browser', async () => {
    const admin = await browser.newContext()
    const adminPage = await admin.newPage()
    await adminPage.goto('/login?next=/admin/users')
    await logInThroughForm(adminPage, stack().admin.email, stack().admin.password)
    await adminPage.getByLabel('Name or email').fill(person.email)
    await adminPage.getByRole('button', { name: 'Search' }).click()
    const row = adminPage.getByRole('article', { name: person.email })
    await row.getByLabel(`Role of ${person.email}`).selectOption('user')
    await row.getByRole('button', { name: 'Save' }).click()
    await expect(row.getByText(`${person.email} is now user.`)).toBeVisible()
    await admin.close()
  })

  await test.step('the organizer’s page, still open, cannot create the event', async () => {
    await page.getByLabel('Title').fill(title)
    await page.getByLabel('Description').fill('Should never be listed.')
    await page.getByLabel('Venue').fill('Old Hall')
    await page.getByLabel('City').fill('Berlin')
    await page.getByLabel('Category').selectOption('concert')
    await page.getByLabel('Time zone').selectOption('Europe/Berlin')
    await page.getByLabel('Starts').fill(`${year}-09-01T19:00`)
    await page.getByLabel('Total tickets').fill('10')
    await page.getByLabel('Price per ticket').fill('10')
    await page.getByLabel('Currency').fill('EUR')
    await page.getByRole('button', { name: 'Create event' }).click()
    // The token is outdated and its sign-in revoked: no renewal, so the person logs in again.
    await expect(page).toHaveURL(/\/login\?next=/)
    await expect(page.getByText('Your session has expired. Log in again to continue.')).toBeVisible()
  })

  await test.step('signed in again, the person is a user, and no event was made', async () => {
    await logInThroughForm(page, person.email, person.password)
    await expect(page.getByRole('heading', { name: 'New event' })).toBeHidden()
    await expect(page.getByRole('heading', { name: 'Not available to your account' })).toBeVisible()
    const found = (await (await fetch(`${stack().events}/events?q=${encodeURIComponent(title)}`)).json()) as unknown[]
    expect(found).toEqual([])
  })
})
