import { expect, test } from '@playwright/test'

import { adminToken, bookAs, createEvent, unique } from './support'

test('filters live in the URL, pages follow X-Total-Count, sold out is marked and can be hidden', async ({ page }) => {
  const word = unique('Fest')
  const admin = await adminToken()
  // Fourteen matching events: twelve plain concerts, one nearly full, one sports event in Gotham.
  for (let index = 1; index <= 12; index += 1) {
    await createEvent({ title: `${word} Concert ${String(index).padStart(2, '0')}` }, 10 + index)
  }
  const soldOut = await createEvent({ title: `${word} Sold Out`, total_tickets: 2 }, 40)
  await bookAs(admin, soldOut.id, 2)
  await createEvent({ title: `${word} Match`, category: 'sports', city: 'Gotham', total_tickets: 5 }, 41)

  await page.goto(`/?q=${word}`)
  await expect(page.getByText('14 events found')).toBeVisible()
  const cards = page.getByRole('main').getByRole('article')
  await expect(cards).toHaveCount(12)
  await expect(page.getByText('Page 1 of 2')).toBeVisible()

  await page.getByRole('button', { name: 'Next' }).click()
  await expect(page).toHaveURL(new RegExp(`\\?q=${word}&page=2$`))
  await expect(cards).toHaveCount(2)
  await expect(page.getByRole('article', { name: `${word} Sold Out` }).getByText('Sold out', { exact: true })).toBeVisible()
  await expect(page.getByRole('article', { name: `${word} Match` }).getByText('Few left: 5')).toBeVisible()

  await page.goBack()
  await expect(page).toHaveURL(new RegExp(`\\?q=${word}$`))
  await expect(cards).toHaveCount(12)

  await page.getByLabel('Hide sold out').check()
  await expect(page).toHaveURL(/available=1/)
  await expect(page.getByText('13 events found')).toBeVisible()

  await page.getByLabel('Category').selectOption('sports')
  await expect(page).toHaveURL(/category=sports/)
  await expect(page.getByText('1 event found')).toBeVisible()
  await expect(page.getByRole('article', { name: `${word} Match` }).getByText('Town Hall, Gotham')).toBeVisible()

  await page.goBack()
  await expect(page.getByText('13 events found')).toBeVisible()
  await expect(page.getByLabel('Category')).toHaveValue('')

  await page.getByLabel('City').fill('gotham')
  await page.getByRole('button', { name: 'Search', exact: true }).click()
  await expect(page.getByText('1 event found')).toBeVisible()

  // A shared link opens the same search.
  await page.goto(`/?q=${word}&city=Springfield&available=1`)
  await expect(page.getByText('12 events found')).toBeVisible()
  await expect(page.getByLabel('Hide sold out')).toBeChecked()
  await expect(page.getByLabel('City')).toHaveValue('Springfield')

  // A date range that ends before it starts is explained, not sent.
  await page.getByLabel('From').fill('2030-05-10')
  await page.getByLabel('To').fill('2030-05-01')
  await expect(page.getByText('The end date is before the start date.')).toBeVisible()
})
