import { expect, test } from '@playwright/test'

import { expectAccessible, logInThroughForm, registerUser, screenshots, unique } from './support'

test('sign-up problems are shown beside the fields', async ({ page }) => {
  const taken = await registerUser('Taken')
  await page.goto('/register')
  await page.getByLabel('Full name').fill('Someone')
  await page.getByLabel('Email').fill(taken.email)
  await page.getByLabel('Password').fill('short')
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByText('Use at least 8 characters.')).toBeVisible()
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true')

  await page.getByLabel('Password').fill('a long enough password')
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByLabel('Email')).toHaveAccessibleDescription('An account with this email already exists. Log in instead?')
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByRole('link', { name: 'Log in instead?' })).toBeVisible()
  await screenshots(page, 'register-errors')
})

test('wrong credentials, then the lockout with its wait from Retry-After', async ({ page }) => {
  const person = await registerUser('Locked')
  await page.goto('/login')
  // The test stack locks an account after three failures (LOGIN_MAX_FAILURES=3).
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await logInThroughForm(page, person.email, `wrong password ${attempt}`)
    await expect(page.getByRole('alert')).toHaveText('That email and password do not match an account.')
  }
  await logInThroughForm(page, person.email, person.password)
  await expect(page.getByRole('alert')).toContainText(/Too many failed sign-in attempts\. Try again in 15 minutes\./)
  await expect(page.getByRole('button', { name: 'Log in' })).toBeDisabled()
  await expectAccessible(page, 'login-locked')
  await screenshots(page, 'login-locked')
})

test('an expired session sends the person to log in, then back where they were', async ({ page }) => {
  const person = await registerUser('Expired')
  const claims = { sub: '00000000-0000-4000-8000-000000000000', email: person.email, role: 'user', exp: Math.floor(Date.now() / 1000) - 60 }
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const stale = `${encode({ alg: 'EdDSA', typ: 'JWT' })}.${encode(claims)}.c2lnbmF0dXJl`
  await page.goto('/')
  await page.evaluate((token) => localStorage.setItem('event-booking.access-token', token), stale)
  await page.goto('/notifications?unread=1')
  await expect(page).toHaveURL(/\/login\?next=%2Fnotifications%3Funread%3D1$/)
  await expect(page.getByText('Your session has expired. Log in again to continue.')).toBeVisible()
  await logInThroughForm(page, person.email, person.password)
  await expect(page).toHaveURL(/\/notifications\?unread=1$/)
  await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible()
  // The token survives a reload.
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible()
})

test('unknown addresses have a page of their own', async ({ page }) => {
  await page.goto(`/${unique('nowhere')}`)
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible()
  await expectAccessible(page, 'not-found')
  await screenshots(page, 'not-found')
  await page.goto('/events/0123456789abcdef01234567')
  await expect(page.getByRole('heading', { name: 'Event not found' })).toBeVisible()
})

test('the pages work from the keyboard, with the focus in sight', async ({ page }) => {
  await page.goto('/login')
  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: 'Skip to content' })
  await expect(skip).toBeFocused()
  await expect(skip).toBeVisible()
  // Tab through to the email field and check the focus ring is drawn.
  const email = page.getByLabel('Email')
  for (let step = 0; step < 15 && !(await email.evaluate((element) => element === document.activeElement)); step += 1) {
    await page.keyboard.press('Tab')
  }
  await expect(email).toBeFocused()
  const outline = await email.evaluate((element) => getComputedStyle(element).outlineStyle)
  expect(outline).toBe('solid')
})

test('on a phone, the menu opens from the header and closes on the next page', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto('/')
  await expect(page.getByRole('navigation', { name: 'Main', exact: true })).toBeHidden()
  const toggle = page.getByRole('button', { name: 'Menu' })
  await expect(toggle).toHaveAttribute('aria-expanded', 'false')
  await toggle.click()
  await expect(toggle).toHaveAttribute('aria-expanded', 'true')
  const menu = page.locator('#phone-menu')
  await expect(menu.getByRole('link', { name: 'Events' })).toBeVisible()
  await menu.getByRole('link', { name: 'Log in' }).click()
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible()
  await expect(menu).toBeHidden()
})
