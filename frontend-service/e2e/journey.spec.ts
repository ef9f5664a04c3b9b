import { expect, test } from '@playwright/test'

import { createEvent, expectAccessible, logInThroughForm, mainNav, PASSWORD, recordMetric, screenshots, unique } from './support'

test('a person signs up, books two tickets, hears about it live, and cancels', async ({ page }) => {
  const word = unique('Jazz')
  const title = `${word} Night`
  await createEvent({
    title,
    total_tickets: 50,
    price: '25.00',
    timezone: 'America/New_York',
    description:
      'A late set from the house trio, with guests.\nStanding room at the back.\n\nDoors open an hour before the start; the bar stays open until midnight.',
  })
  const email = `${unique('ada')}@example.com`.toLowerCase()

  await test.step('register, log out, log in', async () => {
    await page.goto('/register')
    await expectAccessible(page, 'register')
    await screenshots(page, 'register')
    await page.getByLabel('Full name').fill('Ada Lovelace')
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()
    await expect(page.getByRole('heading', { name: 'Upcoming events' })).toBeVisible()
    await page.getByRole('button', { name: 'Log out' }).click()
    await expect(page).toHaveURL(/\/login$/)
    await expectAccessible(page, 'login')
    await screenshots(page, 'login')
    await logInThroughForm(page, email, PASSWORD)
    await expect(page.getByRole('heading', { name: 'Upcoming events' })).toBeVisible()
    await expect(mainNav(page).getByRole('link', { name: 'My bookings' })).toBeVisible()
  })

  await test.step('search for the event', async () => {
    await page.getByLabel('Search', { exact: true }).fill(word)
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    await expect(page).toHaveURL(new RegExp(`\\?q=${word}$`))
    await expect(page.getByText('1 event found')).toBeVisible()
    const card = page.getByRole('article', { name: title })
    await expect(card.getByText('50 available')).toBeVisible()
    await expect(card.getByText('€25.00')).toBeVisible()
    await expectAccessible(page, 'events')
    await screenshots(page, 'events')
    await card.getByRole('link', { name: title }).click()
  })

  // Anything that reloads the page would drop this marker.
  await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'no reload'))

  await test.step('book two tickets', async () => {
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
    await expect(page.getByText('50 of 50')).toBeVisible()
    const about = page.getByRole('region', { name: 'About this event' })
    await expect(about.getByRole('paragraph')).toHaveCount(2)
    await expect(about).toContainText('Doors open an hour before the start')
    await page.getByLabel('Tickets', { exact: true }).selectOption('2')
    await expect(page.getByText('€50.00')).toBeVisible()
    await expectAccessible(page, 'event')
    await screenshots(page, 'event')
    await page.getByRole('button', { name: 'Book 2 tickets' }).click()
    const confirmed = page.getByRole('status').filter({ hasText: 'Booking reference' })
    await expect(confirmed).toBeVisible()
    await expect(confirmed).toContainText(/Booking reference: [0-9a-f-]{36}/)
    await expect(page.getByText('48 of 50')).toBeVisible()
    await screenshots(page, 'event-booked')
  })

  await test.step('the confirmation arrives in the bell without a reload', async () => {
    await expect(page.getByRole('link', { name: 'Notifications, 1 unread' })).toBeVisible({ timeout: 20_000 })
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('no reload')
  })

  await test.step('see the booking', async () => {
    await mainNav(page).getByRole('link', { name: 'My bookings' }).click()
    const booking = page.getByRole('article', { name: `Booking for ${title}` })
    await expect(booking.getByText('Confirmed')).toBeVisible()
    await expect(booking.getByText('€50.00')).toBeVisible()
    await expect(booking.getByRole('definition').filter({ hasText: /^2$/ })).toBeVisible()
    await expectAccessible(page, 'bookings')
    await screenshots(page, 'bookings')
  })

  await test.step('open the notification list and mark it read', async () => {
    await page.getByRole('link', { name: 'Notifications, 1 unread' }).click()
    const notice = page.getByRole('article', { name: `Unread: Booking confirmed: ${title}` })
    await expect(notice).toBeVisible()
    await expectAccessible(page, 'notifications')
    await screenshots(page, 'notifications')
    await notice.getByRole('button', { name: 'Mark as read' }).click()
    await expect(page.getByRole('article', { name: `Booking confirmed: ${title}` })).toBeVisible()
    await expect(page.getByRole('link', { name: 'Notifications', exact: true })).toBeVisible()
  })

  await test.step('cancel, and see the tickets back on sale', async () => {
    await mainNav(page).getByRole('link', { name: 'My bookings' }).click()
    const booking = page.getByRole('article', { name: `Booking for ${title}` })
    await booking.getByRole('button', { name: 'Cancel booking' }).click()
    const dialog = page.getByRole('alertdialog', { name: 'Cancel this booking?' })
    await expect(dialog).toContainText('2 tickets')
    await expectAccessible(page, 'cancel-dialog')
    await screenshots(page, 'cancel-dialog')
    await dialog.getByRole('button', { name: 'Cancel booking' }).click()
    await expect(dialog).toBeHidden()
    await expect(booking.getByText('Cancelled')).toBeVisible()
    await expect(booking.getByRole('button', { name: 'Cancel booking' })).toHaveCount(0)
    await booking.getByRole('link', { name: title }).click()
    await expect(page.getByText('50 of 50')).toBeVisible()
    const about = page.getByRole('region', { name: 'About this event' })
    await expect(about.getByRole('paragraph')).toHaveCount(2)
    await expect(about).toContainText('Doors open an hour before the start')
    // The cancellation notice comes live as well.
    await expect(page.getByRole('link', { name: 'Notifications, 1 unread' })).toBeVisible({ timeout: 20_000 })
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('no reload')
  })
})

test('first paint of the events page', async ({ browser }) => {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'Upcoming events' })).toBeVisible()
  const paints = await page.evaluate(() =>
    Object.fromEntries(performance.getEntriesByType('paint').map((entry) => [entry.name, Math.round(entry.startTime)])),
  )
  const navigation = await page.evaluate(() => {
    const [entry] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[]
    return entry ? { domContentLoaded: Math.round(entry.domContentLoadedEventEnd), load: Math.round(entry.loadEventEnd) } : null
  })
  console.log(`events page: first-paint ${paints['first-paint']} ms, first-contentful-paint ${paints['first-contentful-paint']} ms`, navigation)
  recordMetric('events-page-paint', { ...paints, ...navigation })
  expect(paints['first-paint']).toBeGreaterThan(0)
  await context.close()
})
