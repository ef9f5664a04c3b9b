import { expect, test } from '@playwright/test'

import {
  bookAs,
  createEvent,
  expectAccessible,
  login,
  logInThroughForm,
  registerUser,
  screenshots,
  stack,
  unique,
} from './support'

test('a buyer books two ticket types in one booking, next to a sold-out one', async ({ page }) => {
  const title = unique('Gala ')
  const event = await createEvent({
    title,
    total_tickets: null,
    price: null,
    ticket_types: [
      { name: 'Stalls', price: '30.00', capacity: 20 },
      { name: 'Balcony', price: '18.50', capacity: 6, max_per_order: 3, description: 'Upstairs, unreserved.' },
      { name: 'Box', price: '90.00', capacity: 0 },
    ],
  })
  const buyer = await registerUser('Gail')

  await page.goto(`/login?next=${encodeURIComponent(`/events/${event.id}`)}`)
  await logInThroughForm(page, buyer.email, buyer.password)
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()

  await expect(page.getByText('20 left')).toBeVisible()
  await expect(page.getByText('Sold out', { exact: true })).toBeVisible()
  await expect(page.getByLabel('Box tickets')).toBeDisabled()
  await page.getByLabel('Stalls tickets').selectOption('2')
  await page.getByLabel('Balcony tickets').selectOption('3')
  await expect(page.getByText('€115.50')).toBeVisible()
  await expectAccessible(page, 'event-ticket-types')
  await screenshots(page, 'event-ticket-types')

  await page.getByRole('button', { name: 'Book 5 tickets' }).click()
  const panel = page.getByRole('complementary', { name: 'Book tickets' })
  const confirmed = panel.getByRole('status').filter({ hasText: 'Booking confirmed' })
  await expect(confirmed).toContainText('2 Stalls, 3 Balcony, €115.50')
  // The page catches up with what is left of each type, and the choice starts afresh.
  await expect(panel.getByText('3 left · 1-3 per booking')).toBeVisible()
  await expect(panel.getByText('18 left')).toBeVisible()
  await expect(panel.getByRole('button', { name: 'Choose tickets' })).toBeDisabled()

  await page.goto('/bookings')
  await expect(page.getByText('2 Stalls, 3 Balcony')).toBeVisible()
})

test('an organizer adds a ticket type and lowers a capacity no further than what is sold', async ({ page }) => {
  const title = unique('Workshop ')
  const event = await createEvent({ title, total_tickets: 10, price: '15.00' })
  const buyer = await registerUser('Bea')
  await bookAs(await login(buyer.email, buyer.password), event.id, 4)
  const admin = stack().admin

  await page.goto(`/login?next=${encodeURIComponent(`/organizer/events/${event.id}/edit`)}`)
  await logInThroughForm(page, admin.email, admin.password)
  const types = page.getByRole('region', { name: 'Ticket types' })
  await expect(types.getByText('4 of 10 sold · On sale')).toBeVisible()

  await types.getByRole('button', { name: 'Edit Admission' }).click()
  await types.getByLabel('Capacity').fill('3')
  await types.getByRole('button', { name: 'Save type' }).click()
  await expect(types.getByRole('alert')).toContainText('4 tickets of')
  await types.getByLabel('Capacity').fill('4')
  await types.getByRole('button', { name: 'Save type' }).click()
  await expect(types.getByText('4 of 4 sold · Sold out')).toBeVisible()

  await types.getByRole('button', { name: 'Add a ticket type' }).click()
  await types.getByLabel('Name').fill('Late entry')
  await types.getByLabel('Price').fill('9.50')
  await types.getByLabel('Capacity').fill('6')
  await types.getByLabel('Most per booking').fill('2')
  await types.getByRole('button', { name: 'Add type' }).click()
  await expect(types.getByText('0 of 6 sold · On sale')).toBeVisible()
  await expect(page.getByLabel('Total tickets')).toBeDisabled()
  await expectAccessible(page, 'organizer-ticket-types')
  await screenshots(page, 'organizer-ticket-types')

  await page.goto(`/events/${event.id}`)
  await expect(page.getByLabel('Admission tickets')).toBeDisabled()
  const lateEntry = page.getByLabel('Late entry tickets')
  await expect(lateEntry.getByRole('option')).toHaveText(['0', '1', '2'])
})
