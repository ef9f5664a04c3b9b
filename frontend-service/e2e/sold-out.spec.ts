import { expect, type Page, test } from '@playwright/test'

import { createEvent, logInThroughForm, registerUser, screenshots, unique } from './support'

async function outcome(page: Page): Promise<'confirmed' | 'sold-out'> {
  const confirmed = page.getByRole('status').filter({ hasText: 'Booking reference' })
  const soldOut = page.getByRole('alert').filter({ hasText: 'Sold out' })
  await expect(confirmed.or(soldOut)).toBeVisible()
  return (await confirmed.count()) > 0 ? 'confirmed' : 'sold-out'
}

test('two people race for the last ticket: one gets it, the other is told plainly', async ({ browser }) => {
  const title = unique('Last Seat ')
  const event = await createEvent({ title, total_tickets: 1, price: '40.00' })
  const people = await Promise.all([registerUser('Ann'), registerUser('Bob')])

  const pages = await Promise.all(
    people.map(async (person) => {
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.goto(`/login?next=${encodeURIComponent(`/events/${event.id}`)}`)
      await logInThroughForm(page, person.email, person.password)
      await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
      await expect(page.getByText('Few left: 1')).toBeVisible()
      return page
    }),
  )

  // Both press "Book" at the same moment.
  await Promise.all(pages.map((page) => page.getByRole('button', { name: 'Book 1 ticket' }).click()))
  const outcomes = await Promise.all(pages.map(outcome))
  expect([...outcomes].sort()).toEqual(['confirmed', 'sold-out'])

  const loser = pages[outcomes.indexOf('sold-out')]!
  await expect(loser.getByText('The last tickets have just been booked by someone else.')).toBeVisible()
  // The page catches up with the new availability on its own: no form, and one sold-out message.
  await expect(loser.getByText('0 of 1')).toBeVisible()
  await expect(loser.getByRole('button', { name: 'Book 1 ticket' })).toHaveCount(0)
  await expect(loser.getByText('Sold out: no tickets are left.')).toHaveCount(0)
  await screenshots(loser, 'event-sold-out')
  await Promise.all(pages.map((page) => page.context().close()))
})
